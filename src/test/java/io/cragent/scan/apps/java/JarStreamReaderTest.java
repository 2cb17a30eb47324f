package io.cragent.scan.apps.java;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class JarStreamReaderTest {
    private static final JarStreamReader DEPTH_1 = new JarStreamReader(1, JarStreamReader.DEFAULT_INFLATION_BUDGET);

    private static ArchiveSummary read(JarStreamReader reader, byte[] archive) throws IOException {
        return reader.read(new ByteArrayInputStream(archive));
    }

    @Test
    void readsCoordinatesAndHashesTheWholeJar() throws IOException {
        byte[] jar = TestJars.jar().deflated("com/example/A.class", "class bytes")
                .pom("org.example", "util", "1.2.3").build();
        ArchiveSummary summary = read(DEPTH_1, jar);
        assertThat(summary.problem()).isNull();
        assertThat(summary.sha1()).isEqualTo(TestJars.sha1(jar));
        assertThat(summary.poms()).extracting(p -> p.fields().toString())
                .containsExactly("{version=1.2.3, groupId=org.example, artifactId=util}");
        assertThat(summary.nested()).isEmpty();
    }

    @Test
    void opensNestedJarsOneLevelDeepByDefault() throws IOException {
        byte[] deepest = TestJars.jar().pom("g", "deepest", "3").build();
        byte[] inner = TestJars.jar().pom("g", "inner", "2").stored("lib/deepest-3.jar", deepest).build();
        byte[] other = TestJars.jar().deflated("x.txt", "no pom").build();
        byte[] fat = TestJars.jar().pom("g", "shaded", "1")
                .stored("BOOT-INF/lib/inner-2.jar", inner)
                .deflated("WEB-INF/lib/other.jar", other)
                .deflated("docs/readme.txt", "not a jar").build();

        ArchiveSummary depth1 = read(DEPTH_1, fat);
        assertThat(depth1.nested()).extracting(ArchiveSummary.NestedJar::entryName)
                .containsExactly("BOOT-INF/lib/inner-2.jar", "WEB-INF/lib/other.jar");
        ArchiveSummary innerSummary = depth1.nested().get(0).summary();
        assertThat(innerSummary.sha1()).isEqualTo(TestJars.sha1(inner));
        assertThat(innerSummary.poms()).extracting(PomCoordinates::artifactId).containsExactly("inner");
        assertThat(innerSummary.nested()).as("level 2 is read, not opened, at depth 1").isEmpty();
        assertThat(depth1.nested().get(1).summary().sha1()).isEqualTo(TestJars.sha1(other));

        ArchiveSummary depth2 = read(new JarStreamReader(2, JarStreamReader.DEFAULT_INFLATION_BUDGET), fat);
        assertThat(depth2.nested().get(0).summary().nested()).singleElement()
                .satisfies(n -> assertThat(n.summary().sha1()).isEqualTo(TestJars.sha1(deepest)));

        assertThat(read(new JarStreamReader(0, JarStreamReader.DEFAULT_INFLATION_BUDGET), fat).nested()).isEmpty();
    }

    @Test
    void skipsTheLaunchScriptOfAnExecutableJar() throws IOException {
        byte[] jar = Files.readAllBytes(Path.of("src/test/resources/fixtures/apps/java/executable-launcher-2.1.jar"));
        assertThat(new String(jar, 0, 9)).isEqualTo("#!/bin/sh");
        ArchiveSummary summary = read(DEPTH_1, jar);
        assertThat(summary.problem()).isNull();
        assertThat(summary.sha1()).isEqualTo(TestJars.sha1(jar));
        assertThat(summary.poms()).extracting(PomCoordinates::artifactId).containsExactly("launcher");
    }

    @Test
    void corruptTruncatedAndEmptyJarsKeepOnlyTheirSha1() throws IOException {
        byte[] good = TestJars.jar().pom("g", "lib", "1").deflated("big.txt", "x".repeat(10_000)).build();
        byte[] noise = new byte[5000];
        new Random(7).nextBytes(noise);
        byte[] cutInAnEntry = Arrays.copyOf(good, good.length / 2);
        byte[] cutBeforeCentralDirectory = Arrays.copyOf(good, centralDirectoryOffset(good));
        byte[] badDeflate = good.clone();
        badDeflate[100] ^= 0x55;
        badDeflate[101] ^= 0x55;

        for (byte[] broken : List.of(noise, cutInAnEntry, cutBeforeCentralDirectory, new byte[0], badDeflate)) {
            ArchiveSummary summary = read(DEPTH_1, broken);
            assertThat(summary.problem()).as("problem for %d bytes", broken.length).isNotNull();
            assertThat(summary.sha1()).isEqualTo(TestJars.sha1(broken));
            assertThat(summary.poms()).isEmpty();
            assertThat(summary.nested()).isEmpty();
        }
    }

    @Test
    void aCorruptNestedJarDoesNotSpoilItsOuterJar() throws IOException {
        byte[] junk = "definitely not a zip".getBytes();
        byte[] fat = TestJars.jar().pom("g", "fat", "1").stored("lib/junk.jar", junk).build();
        ArchiveSummary summary = read(DEPTH_1, fat);
        assertThat(summary.problem()).isNull();
        assertThat(summary.poms()).hasSize(1);
        assertThat(summary.nested()).singleElement().satisfies(n -> {
            assertThat(n.summary().problem()).isNotNull();
            assertThat(n.summary().sha1()).isEqualTo(TestJars.sha1(junk));
        });
    }

    @Test
    void aNestedZipBombStopsAtTheInflationBudget() throws IOException {
        byte[] inner = TestJars.jar().deflated("zeros.bin", new byte[2_000_000]).build();
        byte[] fat = TestJars.jar().deflated("lib/bomb.jar", inner).deflated("lib/bomb2.jar", inner).build();
        ArchiveSummary summary = read(new JarStreamReader(1, 3_000_000), fat);
        assertThat(summary.problem()).contains("inflate to more than 3000000 bytes");
        assertThat(summary.sha1()).isEqualTo(TestJars.sha1(fat));
    }

    @Test
    void aFailingStreamIsThrownNotSummarized() {
        byte[] jar = TestJars.jar().pom("g", "lib", "1").deflated("big.txt", "y".repeat(100_000)).build();
        InputStream failing = new java.io.FilterInputStream(new ByteArrayInputStream(jar)) {
            private int reads;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++reads > 2) {
                    throw new IOException("layer stream broke");
                }
                return super.read(b, off, Math.min(len, 100));
            }
        };
        assertThatThrownBy(() -> DEPTH_1.read(failing)).hasMessage("layer stream broke");
    }

    /**
     * A 1 GiB jar whose 1 GiB nested jar is generated as it is read: the reader must finish with both sha1s and the
     * nested coordinates while allocating a tiny fraction of that (it never buffers an entry).
     */
    @Test
    void streamsAGigabyteNestedJarWithoutHoldingIt() throws IOException {
        long gib = 1L << 30;
        GeneratedZip.Part pom = GeneratedZip.bytes("META-INF/maven/g/huge/pom.properties",
                "groupId=g\nartifactId=huge\nversion=9\n".getBytes());
        GeneratedZip.Part nested = GeneratedZip.zip("BOOT-INF/lib/huge-9.jar",
                List.of(pom, GeneratedZip.zeros("filler.bin", gib)));
        List<GeneratedZip.Part> outer = List.of(nested);

        ArchiveSummary summary = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            assertThat(threads.isThreadAllocatedMemoryEnabled()).as("allocation accounting").isTrue();
            long before = threads.getCurrentThreadAllocatedBytes();
            ArchiveSummary result = DEPTH_1.read(GeneratedZip.stream(outer));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated while reading a 1 GiB jar and the 1 GiB jar inside it").isLessThan(16L << 20);
            return result;
        });
        assertThat(summary.problem()).isNull();
        assertThat(summary.sha1()).isEqualTo(sha1Of(GeneratedZip.stream(outer)));
        assertThat(summary.nested()).singleElement().satisfies(n -> {
            assertThat(n.summary().problem()).isNull();
            assertThat(n.summary().poms()).extracting(PomCoordinates::artifactId).containsExactly("huge");
            assertThat(n.summary().sha1()).hasSize(40);
        });
    }

    private static String sha1Of(InputStream in) throws IOException {
        java.security.MessageDigest sha1 = TestJars.newDigest("SHA-1");
        new java.security.DigestInputStream(in, sha1).transferTo(java.io.OutputStream.nullOutputStream());
        return java.util.HexFormat.of().formatHex(sha1.digest());
    }

    private static int centralDirectoryOffset(byte[] zip) {
        int end = zip.length - 22;
        return (zip[end + 16] & 0xff) | (zip[end + 17] & 0xff) << 8 | (zip[end + 18] & 0xff) << 16
                | (zip[end + 19] & 0xff) << 24;
    }
}
