package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;
import io.cragent.scan.layers.LayerContents;
import io.cragent.scan.layers.LayerReader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OS analyzers on real package databases from public projects (src/test/resources/fixtures/os). */
class OsDatabasesTest {

    private static byte[] fixture(String path) throws IOException {
        try (InputStream in = OsDatabasesTest.class.getResourceAsStream("/fixtures/os/" + path)) {
            return in.readAllBytes();
        }
    }

    /** An image of one layer holding these files, read through the real layer reader. */
    static ImageFiles image(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        LayerContents layer = new LayerReader(path -> true, 1 << 26).read(new ByteArrayInputStream(bytes.toByteArray()));
        return ImageFiles.merge(List.of(layer));
    }

    @Test
    void ubuntuDpkgStatus() throws IOException {
        ImageFiles files = image(Map.of("var/lib/dpkg/status", fixture("ubuntu-10.04/var/lib/dpkg/status"),
                "etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=10.04\n".getBytes()));
        List<String> warnings = new ArrayList<>();
        OsRelease os = OsReleaseDetector.detect(files, warnings);
        assertThat(os.alias()).isEqualTo("ubuntu:10.04");
        List<OsPackage> packages = DpkgAnalyzer.status().analyze(files, os, warnings);
        assertThat(packages).hasSize(140);
        OsPackage withSource = packages.stream().filter(p -> p.graphName().contains("/")).findFirst().orElseThrow();
        assertThat(withSource.purl()).startsWith("pkg:deb/ubuntu/" + withSource.name()).contains("distro=ubuntu-10.04")
                .contains("upstream=");
        assertThat(packages).allMatch(p -> p.purl() != null);
    }

    @Test
    void alpineInstalledDatabase() throws IOException {
        ImageFiles files = image(Map.of("lib/apk/db/installed", fixture("alpine-3.7.0/lib/apk/db/installed"),
                "etc/alpine-release", "3.7.0\n".getBytes()));
        List<OsPackage> packages = new ApkAnalyzer().analyze(files, OsReleaseDetector.detect(files, new ArrayList<>()), new ArrayList<>());
        assertThat(packages).extracting(OsPackage::name).containsExactly("musl", "busybox", "alpine-baselayout",
                "alpine-keys", "libressl2.6-libcrypto", "libressl2.6-libssl", "zlib", "apk-tools", "scanelf",
                "musl-utils", "libc-utils");
        assertThat(packages).filteredOn(p -> p.name().equals("libressl2.6-libssl")).first()
                .satisfies(p -> assertThat(p.graphName()).isEqualTo("libressl/libressl2.6-libssl"))
                .satisfies(p -> assertThat(p.depends()).contains("so:libc.musl-x86_64.so.1"))
                .satisfies(p -> assertThat(p.purl()).isNull());
    }

    @Test
    void distrolessStatusDirectory() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("multiple", "libpam-runtime", "installed-size-4KB")) {
            files.put("var/lib/dpkg/status.d/" + name, fixture("distroless-syft/var/lib/dpkg/status.d/" + name));
        }
        files.put("var/lib/dpkg/status.d/libpam-runtime.md5sums", "d41d8cd98f00b204e9800998ecf8427e  x\n".getBytes());
        OsRelease debian = new OsRelease("debian", "12", null);
        List<OsPackage> packages = DpkgAnalyzer.statusD().analyze(image(files), debian, new ArrayList<>());
        // "no-version" and the name-only stanzas have no version: nothing to match against vulnerabilities.
        assertThat(packages).extracting(OsPackage::id).containsExactlyInAnyOrder(
                "apt-dev/apt@1.8.2", "pam/libpam-runtime@1.5.2-6+deb12u1", "tzdata-dev/tzdata@2020a-0+deb10u1",
                "util-linux@2.33.1-0.1");
        assertThat(packages).filteredOn(p -> p.name().equals("libpam-runtime")).first().extracting(OsPackage::purl)
                .isEqualTo("pkg:deb/debian/libpam-runtime@1.5.2-6%2Bdeb12u1?distro=debian-bookworm&upstream=pam");
    }

    @Test
    void corruptDatabasesGiveNothingAndNeverThrow() throws IOException {
        ImageFiles files = image(Map.of("var/lib/dpkg/status.d/corrupt",
                fixture("distroless-syft-corrupt/var/lib/dpkg/status.d/corrupt"),
                "var/lib/dpkg/status", "\u0000\u0001garbage: \n: x\n\n\tcontinuation\nPackage:\nVersion: 1\n".getBytes(StandardCharsets.UTF_8),
                "lib/apk/db/installed", "P\nV:\n::::\n".getBytes(StandardCharsets.UTF_8),
                "etc/os-release", "NAME=x\n".getBytes()));
        List<String> warnings = new ArrayList<>();
        OsRelease os = OsReleaseDetector.detect(files, warnings);
        assertThat(os).isEqualTo(OsRelease.UNKNOWN);
        assertThat(warnings).anyMatch(w -> w.contains("/etc/os-release"));
        assertThat(DpkgAnalyzer.statusD().analyze(files, os, warnings)).isEmpty();
        assertThat(DpkgAnalyzer.status().analyze(files, os, warnings)).isEmpty();
        assertThat(new ApkAnalyzer().analyze(files, os, warnings)).isEmpty();
    }

    @Test
    void removedPackagesWithConfigFilesLeftAreNotInstalled() throws IOException {
        String status = "Package: tzdata\nStatus: deinstall ok config-files\nVersion: 2024a-0+deb12u1\n\n"
                + "Package: jq\nStatus: install ok installed\nVersion: 1.6-2.1\nDepends: libjq1 (= 1.6-2.1), libc6 (>= 2.34)\n"
                + "Description: a very long\n description: with a colon\n";
        List<String> warnings = new ArrayList<>();
        List<OsPackage> packages = DpkgAnalyzer.status().analyze(image(Map.of("var/lib/dpkg/status", status.getBytes())),
                new OsRelease("debian", "12", null), warnings);
        assertThat(packages).extracting(OsPackage::id).containsExactly("jq@1.6-2.1");
        assertThat(packages.get(0).depends()).containsExactly("libjq1", "libc6");
        assertThat(warnings).anyMatch(w -> w.startsWith("1 dpkg entries"));
    }

    @Test
    void releaseFilesInSnykOrderWithItsPostFixes() throws IOException {
        assertThat(detect("etc/os-release", "ID=\"ol\"\nVERSION_ID=\"8.7\"\nPRETTY_NAME=\"Oracle Linux 8\"")).isEqualTo(new OsRelease("oracle", "8", "Oracle Linux 8"));
        assertThat(detect("etc/os-release", "ID=sles\nVERSION_ID=15")).isEqualTo(new OsRelease("sles", "15.0", null));
        assertThat(detect("etc/os-release", "ID=debian")).isEqualTo(new OsRelease("debian", "unstable", null));
        assertThat(detect("etc/debian_version", "12.5\n").alias()).isEqualTo("debian:12");
        assertThat(detect("etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)").alias()).isEqualTo("rhel:8");
        assertThat(detect("etc/centos-release", "CentOS Linux release 7.9.2009 (Core)").alias()).isEqualTo("centos:7");
    }

    private static OsRelease detect(String path, String content) throws IOException {
        return OsReleaseDetector.detect(image(Map.of(path, content.getBytes(StandardCharsets.UTF_8))), new ArrayList<>());
    }
}
