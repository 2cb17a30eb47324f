package io.cragent.scan.apps.golang;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Build-info parsing without a toolchain: the synthetic ELF, module-line rules, and damaged files. */
class GoParsersTest {

    private static GoBinarySummary read(byte[] elf) throws Exception {
        return GoElfReader.read(new ByteArrayInputStream(elf), elf.length);
    }

    @Test
    void syntheticBinaryGivesModulesWithReplacements() throws Exception {
        GoBinarySummary summary = read(SyntheticElf.build("go1.21", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO));
        assertThat(summary.root()).isEqualTo("example.com/synth");
        assertThat(summary.packages()).extracting(p -> p.id()).containsExactly("github.com/a/b@v1.0.0",
                "github.com/c/e@v0.2.0", "golang.org/x/text@v0.3.7", "stdlib@1.21.0");
        assertThat(summary.problem()).isNull();
    }

    @Test
    void goBefore118BuildInfoIsReadFromRodataKeptWhileStreaming() throws Exception {
        SyntheticElf.Layout old = SyntheticElf.pointers("go1.17.13", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO, 4L << 20);
        long before = allocated();
        GoBinarySummary summary = GoElfReader.read(old.stream(), old.size());
        long used = allocated() - before;
        assertThat(summary.problem()).isNull();
        assertThat(summary.root()).isEqualTo("example.com/synth");
        assertThat(summary.packages()).extracting(p -> p.id()).containsExactly("github.com/a/b@v1.0.0",
                "github.com/c/e@v0.2.0", "golang.org/x/text@v0.3.7", "stdlib@1.17.13");
        System.out.printf("old format, 4 MiB .rodata: %d bytes allocated%n", used);
        assertThat(used).as("bytes allocated for a 4 MiB .rodata").isBetween(4L << 20, 6L << 20);
    }

    @Test
    void goBefore118RodataOverTheCapIsAProblemNotAnOutOfMemory() throws Exception {
        SyntheticElf.Layout old = SyntheticElf.pointers("go1.17.13", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO,
                GoElfReader.RODATA_CAP + 1);
        long before = allocated();
        GoBinarySummary summary = GoElfReader.read(old.stream(), old.size());
        long used = allocated() - before;
        System.out.printf("old format, .rodata over the cap: %d bytes streamed, %d allocated%n", old.size(), used);
        assertThat(summary.root()).isNull();
        assertThat(summary.problem()).contains("Go before 1.18").contains("over the " + GoElfReader.RODATA_CAP);
        assertThat(used).as("bytes allocated while streaming %d bytes", old.size()).isLessThan(16L << 20);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void aBinaryLargerThanTheBufferCapStreamsInSmallMemory() throws Exception {
        long size = GoElfReader.BUFFER_CAP + 64L * 1024 * 1024;
        SyntheticElf.Layout huge = SyntheticElf.inline("go1.22.1", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO, size);
        long before = allocated();
        GoBinarySummary summary = GoElfReader.read(huge.stream(), huge.size());
        long allocated = allocated() - before;
        assertThat(summary.packages()).extracting(p -> p.id()).contains("stdlib@1.22.1");
        assertThat(allocated).as("bytes allocated while streaming %d bytes", huge.size()).isLessThan(16L << 20);
    }

    @Test
    void goVersionsAreReleasesOnly() {
        assertThat(GoModules.goVersion("go1.21.5")).isEqualTo("1.21.5");
        assertThat(GoModules.goVersion("go1.22rc1")).isEmpty();
        assertThat(GoModules.goVersion("devel go1.23-abc")).isEmpty();
    }

    @Test
    void distributionBinariesAndBrokenModuleInfo() {
        assertThat(new GoModules("path\tcmd/vet\nbuild\t-compiler=gc\n").name).isEqualTo("go-distribution@cmd/vet");
        assertThatThrownBy(() -> new GoModules("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GoModules("path\tx\nmod\tx\t(devel)\n=>\ty\tv1\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packagesComeFromModuleCacheVendorOrTrimmedPaths() {
        GoModules cache = new GoModules("path\tm\nmod\tm\t(devel)\ndep\tgithub.com/a/b\tv1.0.0\th1:x\n");
        cache.matchFiles(List.of("/src/m/main.go", "/go/pkg/mod/github.com/a/b@v1.0.0/b.go",
                "/go/pkg/mod/github.com/a/b@v1.0.0/sub/s.go", "/usr/lib/go/src/fmt/print.go"));
        assertThat(cache.modules.get(0).packages).containsExactly("github.com/a/b", "github.com/a/b/sub");

        GoModules trimmed = new GoModules("path\tm\nmod\tm\t(devel)\ndep\tgithub.com/a/b\tv1.0.0\th1:x\n");
        trimmed.matchFiles(List.of("m/main.go", "github.com/a/b@v1.0.0/x/y.go", "fmt/print.go"));
        assertThat(trimmed.modules.get(0).packages).containsExactly("github.com/a/b/x");

        GoModules vendored = new GoModules("path\tm\nmod\tm\t(devel)\ndep\tgithub.com/a/b\tv1.0.0\n");
        vendored.matchFiles(List.of("/app/main.go", "/app/vendor/github.com/a/b/b.go"));
        assertThat(vendored.modules.get(0).packages).containsExactly("github.com/a/b");
    }

    @Test
    void damagedElfFilesGiveNothingOrAProblemNeverAnException() throws Exception {
        Random random = new Random(7);
        for (byte[] good : List.of(SyntheticElf.build("go1.21.5", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO),
                SyntheticElf.pointers("go1.17.13", GoBinaryAnalyzerTest.SYNTHETIC_MODINFO, 0x2000).bytes())) {
            for (int i = 0; i < 2000; i++) {
                byte[] bad = good.clone();
                // half of the damage in the headers, where it changes the most
                int range = random.nextBoolean() ? 1024 : bad.length;
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    bad[4 + random.nextInt(range - 4)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    bad = java.util.Arrays.copyOf(bad, 4 + random.nextInt(bad.length - 4));
                }
                try {
                    read(bad);
                } catch (RuntimeException e) {
                    // the analyzer turns these into a problem; they must stay RuntimeExceptions
                    assertThat(e).isNotNull();
                }
            }
        }
        assertThat(read("not an elf".getBytes())).isNull();
        assertThat(read(new byte[]{0x7f, 'E', 'L', 'F'})).isNull();
    }
}
