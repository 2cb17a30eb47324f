package io.cragent.scan.os;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ubuntu chisel "slices": {@code /var/lib/chisel/manifest.wall} is zstd-compressed NDJSON whose
 * {@code "kind":"package"} lines name the Debian packages the slices came from. Plain names, no purl, as snyk.
 */
public final class ChiselAnalyzer implements OsPackageAnalyzer {
    static final String MANIFEST = "/var/lib/chisel/manifest.wall";
    private static final long MAX_EXPANDED = 64L * 1024 * 1024;
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String packageManager() {
        return "deb";
    }

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(MANIFEST::equals, FileMatcher.DATABASE_CAP);
    }

    @Override
    public List<OsPackage> analyze(ImageFiles files, OsRelease os, List<String> warnings) {
        Optional<byte[]> manifest = files.resolveFile(MANIFEST);
        if (manifest.isEmpty()) {
            return List.of();
        }
        List<OsPackage> packages = new ArrayList<>();
        long expanded = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                new ZstdInputStream(new ByteArrayInputStream(manifest.get())), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                expanded += line.length() + 1;
                if (expanded > MAX_EXPANDED) {
                    warnings.add("the chisel manifest expands past " + MAX_EXPANDED + " bytes; read up to there");
                    break;
                }
                JsonNode entry = parse(line);
                if (entry != null && "package".equals(entry.path("kind").asText())) {
                    String name = entry.path("name").asText("");
                    String version = entry.path("version").asText("");
                    if (!name.isEmpty() && !version.isEmpty()) {
                        packages.add(new OsPackage(name, version, name, List.of(), List.of(), null, false));
                    }
                }
            }
        } catch (IOException e) {
            warnings.add("the chisel manifest could not be read: " + e.getMessage());
        }
        return packages;
    }

    private JsonNode parse(String line) {
        try {
            return line.isBlank() ? null : json.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
