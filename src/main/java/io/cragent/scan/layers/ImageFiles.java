package io.cragent.scan.layers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The image's matched files after merging its layers, newest wins: whiteouts delete a path and everything below it
 * in lower layers, an opaque marker hides everything below its directory in lower layers, and neither touches its
 * own layer. Symlinks are followed only for the fixed paths analyzers probe.
 */
public final class ImageFiles {
    private static final int MAX_LINK_HOPS = 40;

    private final Map<String, byte[]> files;
    private final Map<String, Map<String, Object>> summaries;
    private final Map<String, String> symlinks;
    private final List<String> warnings;

    private ImageFiles(Map<String, byte[]> files, Map<String, Map<String, Object>> summaries,
                       Map<String, String> symlinks, List<String> warnings) {
        this.files = files;
        this.summaries = summaries;
        this.symlinks = symlinks;
        this.warnings = warnings;
    }

    /** Merges layers given bottom first. */
    public static ImageFiles merge(List<LayerContents> bottomFirst) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Map<String, Object>> summaries = new LinkedHashMap<>();
        Map<String, String> symlinks = new LinkedHashMap<>();
        Map<String, String> pending = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Set<String> decided = new HashSet<>();
        Set<String> removed = new HashSet<>();
        Set<String> opaque = new HashSet<>();
        for (int i = bottomFirst.size() - 1; i >= 0; i--) {
            LayerContents layer = bottomFirst.get(i);
            warnings.addAll(layer.warnings);
            Set<String> paths = new java.util.LinkedHashSet<>(layer.files.keySet());
            paths.addAll(layer.summaries.keySet());
            paths.addAll(layer.symlinks.keySet());
            paths.addAll(layer.pendingHardlinks.keySet());
            paths.addAll(layer.shadowed);
            for (String path : paths) {
                if (!claim(path, decided, removed, opaque)) {
                    continue;
                }
                copy(path, layer.files, files);
                copy(path, layer.summaries, summaries);
                copy(path, layer.symlinks, symlinks);
                copy(path, layer.pendingHardlinks, pending);
            }
            removed.addAll(layer.whiteouts);
            opaque.addAll(layer.opaqueDirs);
        }
        ImageFiles merged = new ImageFiles(files, summaries, symlinks, warnings);
        pending.forEach((link, target) -> {
            Optional<byte[]> content = merged.resolveFile(target);
            Map<String, Object> summary = summaries.get(target);
            content.ifPresent(c -> files.put(link, c));
            if (summary != null) {
                summaries.put(link, summary);
            }
            if (content.isEmpty() && summary == null) {
                warnings.add("hard link " + link + " points at " + target + ", which was not kept");
            }
        });
        return merged;
    }

    private static <V> void copy(String path, Map<String, V> from, Map<String, V> to) {
        V value = from.get(path);
        if (value != null) {
            to.put(path, value);
        }
    }

    /** Takes the path for this layer unless a newer layer has it or deleted it (or an ancestor). */
    private static boolean claim(String path, Set<String> decided, Set<String> removed, Set<String> opaque) {
        if (decided.contains(path)) {
            return false;
        }
        for (String p = path; ; p = TarPaths.parent(p)) {
            if (removed.contains(p) || !p.equals(path) && opaque.contains(p)) {
                return false;
            }
            if (p.equals("/")) {
                break;
            }
        }
        decided.add(path);
        return true;
    }

    /** A file's content as stored at exactly this path (no link following). */
    public Optional<byte[]> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** A file's content, following symlinks in any component of the path, confined to the image root. */
    public Optional<byte[]> resolveFile(String path) {
        String current = path;
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            byte[] content = files.get(current);
            if (content != null) {
                return Optional.of(content);
            }
            String next = followOneLink(current);
            if (next == null) {
                return Optional.empty();
            }
            current = next;
        }
        return Optional.empty();
    }

    /** Replaces the longest symlinked prefix of {@code path} by its target; null when none is a link. */
    private String followOneLink(String path) {
        for (String prefix = path; !prefix.equals("/"); prefix = TarPaths.parent(prefix)) {
            String target = symlinks.get(prefix);
            if (target != null) {
                String resolved = TarPaths.resolveAgainst(prefix, target);
                return resolved + path.substring(prefix.length());
            }
        }
        return null;
    }

    /** Paths of the kept files that satisfy the predicate, in a stable order. */
    public List<String> paths(Predicate<String> predicate) {
        return files.keySet().stream().filter(predicate).sorted().toList();
    }

    /** The visible files' summaries by one summarizer: path → summary, in path order. */
    public Map<String, Object> summaries(String summarizer) {
        Map<String, Object> out = new java.util.TreeMap<>();
        summaries.forEach((path, bySummarizer) -> {
            Object summary = bySummarizer.get(summarizer);
            if (summary != null) {
                out.put(path, summary);
            }
        });
        return out;
    }

    public Map<String, String> symlinks() {
        return symlinks;
    }

    public List<String> warnings() {
        return warnings;
    }
}
