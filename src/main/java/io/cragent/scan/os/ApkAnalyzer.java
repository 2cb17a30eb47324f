package io.cragent.scan.os;

import io.cragent.scan.layers.FileMatcher;
import io.cragent.scan.layers.ImageFiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alpine packages from {@code lib/apk/db/installed}: one {@code K:value} line per field, blank-line separated. */
public final class ApkAnalyzer implements OsPackageAnalyzer {
    private static final List<String> PATHS = List.of("/lib/apk/db/installed", "/usr/lib/apk/db/installed");

    @Override
    public String packageManager() {
        return "apk";
    }

    @Override
    public FileMatcher matcher() {
        return FileMatcher.of(PATHS::contains, FileMatcher.DATABASE_CAP);
    }

    @Override
    public List<OsPackage> analyze(ImageFiles files, OsRelease os, List<String> warnings) {
        Optional<byte[]> db = PATHS.stream().map(files::resolveFile).flatMap(Optional::stream).findFirst();
        if (db.isEmpty()) {
            return List.of();
        }
        List<Map<Character, String>> records = records(new String(db.get(), StandardCharsets.UTF_8));
        List<OsPackage> packages = new ArrayList<>();
        for (Map<Character, String> r : records) {
            String name = r.get('P');
            String version = r.get('V');
            if (name == null || name.isBlank() || version == null || version.isBlank()) {
                continue; // a record without both is no package (found by fuzzing: "V:" alone)
            }
            String origin = r.get('o');
            List<String> provides = new ArrayList<>();
            for (String p : words(r.get('p'))) {
                provides.add(stripVersion(p));
            }
            List<String> depends = new ArrayList<>();
            for (String d : words(r.get('D'))) {
                if (!d.startsWith("!")) {
                    depends.add(stripVersion(d));
                }
            }
            String graphName = origin != null && !origin.isEmpty() ? origin + "/" + name : name;
            packages.add(new OsPackage(name, version, graphName, provides, depends, null, false));
        }
        return packages;
    }

    private static List<Map<Character, String>> records(String text) {
        List<Map<Character, String>> out = new ArrayList<>();
        Map<Character, String> current = new LinkedHashMap<>();
        for (String line : text.split("\\R", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    out.add(current);
                    current = new LinkedHashMap<>();
                }
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                current.putIfAbsent(line.charAt(0), line.substring(2));
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    /** {@code so:libc.musl-x86_64.so.1=1} → {@code so:libc.musl-x86_64.so.1}; {@code busybox>=1.3} → {@code busybox}. */
    private static String stripVersion(String word) {
        int cut = word.length();
        for (char op : new char[]{'=', '<', '>', '~'}) {
            int at = word.indexOf(op);
            if (at > 0) {
                cut = Math.min(cut, at);
            }
        }
        return word.substring(0, cut);
    }
}
