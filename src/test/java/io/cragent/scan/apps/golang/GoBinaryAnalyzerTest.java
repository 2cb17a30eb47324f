package io.cragent.scan.apps.golang;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.ScanReport;
import io.cragent.scan.apps.python.AppImages;
import io.cragent.testsupport.ScanResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go binaries built here (vendored module, trimmed, stripped, externally linked), the toolchain's own gofmt and a
 * synthetic ELF, against snyk-docker-plugin 9.20.2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoBinaryAnalyzerTest {
    static final String SYNTHETIC_MODINFO = """
            path\texample.com/synth
            mod\texample.com/synth\t(devel)\t
            dep\tgithub.com/a/b\tv1.0.0\th1:x=
            dep\tgithub.com/c/d\tv0.1.0\th1:y=
            =>\tgithub.com/c/e\tv0.2.0\th1:z=
            dep\tgolang.org/x/text\tv0.3.7
            =>\t../text\t
            build\t-compiler=gc
            """;

    private JsonNode theirs;
    private ScanReport ours;
    private byte[] current;
    private byte[] oldAmd64;

    @BeforeAll
    void scanBoth(@TempDir Path dir) throws Exception {
        GoToolchain go = GoToolchain.installed();
        Path module = GoToolchain.writeModule(dir);
        byte[] normal = go.build(module, dir.resolve("app"), false);
        current = normal;
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("usr/local/bin/app", normal);
        files.put("opt/app/app-trimmed", go.build(module, dir.resolve("trimmed"), false, "-trimpath"));
        files.put("usr/bin/app-stripped", go.build(module, dir.resolve("stripped"), false, "-ldflags=-s -w"));
        files.put("srv/app-external", go.build(module, dir.resolve("external"), true, "-ldflags=-linkmode=external"));
        files.put("usr/local/bin/gofmt", Files.readAllBytes(go.goRoot().resolve("bin/gofmt")));
        files.put("usr/local/bin/synthetic", SyntheticElf.build("go1.21.5", SYNTHETIC_MODINFO));
        // Go 1.13–1.17 layouts: little-endian ELF64, and big-endian ELF32 (mips).
        oldAmd64 = OldBuildInfo.rewrite(normal, go.symbols(dir.resolve("app")));
        files.put("usr/local/bin/app-go117", oldAmd64);
        byte[] mips = go.buildFor("mips", module, dir.resolve("app-mips"), false);
        files.put("usr/local/bin/app-go117-mips", OldBuildInfo.rewrite(mips, go.symbols(dir.resolve("app-mips"))));
        files.put("app/app.bin", normal);
        files.put("etc/app", normal);
        files.put("usr/local/bin/not-go", Files.readAllBytes(Path.of("/bin/true")));
        files.put("usr/local/bin/script", "#!/bin/sh\necho hi\n".getBytes());
        files.put("usr/local/bin/truncated", Arrays.copyOf(normal, 1_000_000));
        files.put("usr/local/bin/garbage", "\u007fELF\u0002\u0001garbage".getBytes());
        Path archive = AppImages.archive(dir, "golang", files);
        theirs = AppImages.reference(archive);
        ours = AppImages.ours(archive, List.of(new GoBinaryAnalyzer()));
    }

    @Test
    void targetsAndPackagesEqualTheReference() {
        Map<String, Set<String>> want = AppImages.packages(theirs, k -> k.startsWith("gomodules:"));
        assertThat(want.keySet()).containsExactlyInAnyOrder("gomodules:/usr/local/bin/app",
                "gomodules:/opt/app/app-trimmed", "gomodules:/usr/bin/app-stripped", "gomodules:/srv/app-external",
                "gomodules:/usr/local/bin/gofmt", "gomodules:/usr/local/bin/synthetic",
                "gomodules:/usr/local/bin/app-go117", "gomodules:/usr/local/bin/app-go117-mips");
        assertThat(want.get("gomodules:/usr/local/bin/app")).contains("example.com/lib@v1.2.3",
                "example.com/lib/sub@v1.2.3").anySatisfy(id -> assertThat(id).startsWith("stdlib@1."));
        assertThat(want.get("gomodules:/usr/local/bin/synthetic")).containsExactlyInAnyOrder(
                "github.com/a/b@v1.0.0", "github.com/c/e@v0.2.0", "golang.org/x/text@v0.3.7", "stdlib@1.21.5");
        assertThat(AppImages.packages(ours.pluginResponse(), k -> k.startsWith("gomodules:"))).isEqualTo(want);
    }

    @Test
    void rootsAndFactsEqualTheReference() {
        for (String key : AppImages.packages(theirs, k -> k.startsWith("gomodules:")).keySet()) {
            JsonNode mine = ScanResults.fact(ScanResults.result(ours.pluginResponse(), key), "depGraph");
            JsonNode ref = ScanResults.fact(ScanResults.result(theirs, key), "depGraph");
            assertThat(ScanResults.rootPkgId(mine)).as(key).isEqualTo(ScanResults.rootPkgId(ref));
            assertThat(mine.path("pkgManager").path("name").asText()).isEqualTo("gomodules");
            assertThat(ScanResults.factTypes(ours.pluginResponse()).get(key).get(0)).isEqualTo("depGraph");
            assertThat(ScanResults.factTypes(ours.pluginResponse()).get(key).subList(0, 2))
                    .isEqualTo(ScanResults.factTypes(theirs).get(key).subList(0, 2));
        }
        assertThat(ScanResults.rootPkgId(ScanResults.fact(ScanResults.result(ours.pluginResponse(),
                "gomodules:/usr/local/bin/gofmt"), "depGraph"))).isEqualTo("go-distribution@cmd/gofmt@");
    }

    @Test
    void goBefore118BuildInfoIsReadWhileStreaming() {
        Map<String, Set<String>> mine = AppImages.packages(ours.pluginResponse(), k -> k.startsWith("gomodules:"));
        Set<String> current = mine.get("gomodules:/usr/local/bin/app");
        assertThat(mine.get("gomodules:/usr/local/bin/app-go117")).isEqualTo(current);
        assertThat(mine.get("gomodules:/usr/local/bin/app-go117-mips")).isEqualTo(current);
        assertThat(ours.warnings()).noneSatisfy(w -> assertThat(w).contains("app-go117"));
    }

    @Test
    void goBefore118KeepsOnlyRodata() throws Exception {
        SparseBytes whole = new SparseBytes(oldAmd64.length);
        whole.put(0, oldAmd64);
        ElfFile elf = ElfFile.header(oldAmd64);
        assertThat(elf.readPrograms(whole) && elf.readSections(whole) && elf.nameSections(whole)).isTrue();
        assertThat(GoBuildInfo.pointedStrings(elf)).extracting(ElfFile.Section::offset)
                .isEqualTo(elf.section(".rodata").offset());
        long rodata = elf.section(".rodata").size();
        long oldFormat = allocatedWhileReading(oldAmd64);
        long newFormat = allocatedWhileReading(current);
        System.out.printf("%d-byte binary: .rodata %d bytes kept; allocated %d bytes (old format), %d (1.18+)%n",
                oldAmd64.length, rodata, oldFormat, newFormat);
        assertThat(oldFormat - newFormat).isLessThan(rodata + (512L << 10));
    }

    private static long allocatedWhileReading(byte[] binary) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        GoBinarySummary summary = GoElfReader.read(new java.io.ByteArrayInputStream(binary), binary.length);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(summary.problem()).isNull();
        assertThat(summary.packages()).isNotEmpty();
        return allocated;
    }

    @Test
    void brokenBinariesAreWarningsAtMost() {
        assertThat(ours.warnings()).anySatisfy(w -> assertThat(w).contains("/usr/local/bin/truncated"))
                .noneSatisfy(w -> assertThat(w).contains("/usr/local/bin/garbage"));
    }
}
