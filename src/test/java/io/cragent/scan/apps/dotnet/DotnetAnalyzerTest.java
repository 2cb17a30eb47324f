package io.cragent.scan.apps.dotnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.cragent.scan.ScanReport;
import io.cragent.scan.apps.python.AppImages;
import io.cragent.testsupport.ScanResults;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cragent.scan.apps.python.AppImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/** .NET deps.json against snyk-docker-plugin 9.20.2; a malformed file costs only its own result. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DotnetAnalyzerTest {
    static final String TARGET = ".NETCoreApp,Version=v8.0/linux-x64";
    static final String DEPS = """
            {"runtimeTarget": {"name": "%1$s", "signature": ""},
             "compilationOptions": {},
             "targets": {
               ".NETCoreApp,Version=v8.0": {"MyApp/1.0.0": {"dependencies": {"Other.Target": "1.0.0"}}},
               "%1$s": {
                 "MyApp/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1", "Serilog": "3.0.1",
                     "MyLib": "1.0.0", "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": "8.0.0"},
                   "runtime": {"MyApp.dll": {}}},
                 "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"runtime": {"System.dll": {}}},
                 "Newtonsoft.Json/13.0.1": {"runtime": {"lib/net6.0/Newtonsoft.Json.dll": {}}},
                 "Serilog/3.0.1": {"dependencies": {"System.Diagnostics.DiagnosticSource": "7.0.2"}},
                 "System.Diagnostics.DiagnosticSource/7.0.2": {
                   "dependencies": {"System.Runtime.CompilerServices.Unsafe": "6.0.0"}},
                 "System.Runtime.CompilerServices.Unsafe/6.0.0": {},
                 "MyLib/1.0.0": {"dependencies": {"newtonsoft.json": "13.0.1", "Serilog": "3.0.1"}},
                 "Unused.Package/2.0.0": {}
               }
             },
             "libraries": {
               "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
               "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/8.0.0": {"type": "runtimepack"},
               "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true, "sha512": "sha512-x"},
               "Serilog/3.0.1": {"type": "package"},
               "System.Diagnostics.DiagnosticSource/7.0.2": {"type": "package"},
               "System.Runtime.CompilerServices.Unsafe/6.0.0": {"type": "package"},
               "MyLib/1.0.0": {"type": "project"},
               "Unused.Package/2.0.0": {"type": "package"}
             }}
            """.formatted(TARGET);

    private JsonNode theirs;
    private ScanReport ours;

    @BeforeAll
    void scanBoth(@TempDir Path dir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("app/MyApp.deps.json", utf8(DEPS));
        files.put("usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.0/Microsoft.NETCore.App.deps.json", utf8(DEPS));
        files.put("opt/tool/tool.deps.json", utf8(DEPS.replace("\"project\"", "\"package\"")));
        files.put("opt/broken/broken.deps.json", utf8("{\"runtimeTarget\": {\"name\": "));
        files.put("opt/empty/empty.deps.json", utf8(DEPS.replace("\"MyApp/1.0.0\": {\"dependencies\": {\"Newtonsoft",
                "\"MyApp/1.0.0\": {\"deps\": {\"Newtonsoft")));
        Path archive = AppImages.archive(dir, "dotnet", files);
        theirs = AppImages.reference(archive);
        ours = AppImages.ours(archive, List.of(new DotnetAnalyzer()));
    }

    @Test
    void packagesAndTargetsEqualTheReference() {
        Map<String, Set<String>> want = AppImages.packages(theirs, k -> k.startsWith("nuget:"));
        assertThat(want).containsOnlyKeys("nuget:/app/MyApp.deps.json");
        assertThat(want.get("nuget:/app/MyApp.deps.json")).containsExactlyInAnyOrder(
                "Newtonsoft.Json@13.0.1", "Serilog@3.0.1", "MyLib@1.0.0",
                "Microsoft.NETCore.App.Runtime.linux-x64@8.0.0", "System.Diagnostics.DiagnosticSource@7.0.2",
                "System.Runtime.CompilerServices.Unsafe@6.0.0");
        assertThat(AppImages.packages(ours.pluginResponse(), k -> k.startsWith("nuget:"))).isEqualTo(want);
    }

    @Test
    void rootAndFactsEqualTheReference() {
        String key = "nuget:/app/MyApp.deps.json";
        JsonNode mine = ScanResults.result(ours.pluginResponse(), key);
        JsonNode ref = ScanResults.result(theirs, key);
        assertThat(ScanResults.rootPkgId(ScanResults.fact(mine, "depGraph"))).isEqualTo("MyApp@1.0.0")
                .isEqualTo(ScanResults.rootPkgId(ScanResults.fact(ref, "depGraph")));
        assertThat(ScanResults.fact(mine, "testedFiles")).isEqualTo(ScanResults.fact(ref, "testedFiles"));
        assertThat(ScanResults.factTypes(ours.pluginResponse()).get(key).subList(0, 3))
                .isEqualTo(ScanResults.factTypes(theirs).get(key).subList(0, 3));
    }

    @Test
    void unusableFilesAreWarnings() {
        assertThat(ours.warnings()).anySatisfy(w -> assertThat(w).startsWith("nuget: skipped /opt/broken/broken.deps.json"))
                .anySatisfy(w -> assertThat(w).contains("/opt/tool/tool.deps.json"))
                .anySatisfy(w -> assertThat(w).contains("/opt/empty/empty.deps.json"))
                .noneSatisfy(w -> assertThat(w).contains("/dotnet/shared/"));
    }
}
