package io.cragent.scan.layers;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What one layer contributes: the matched files' bytes, its links, and what it deletes from the layers below.
 * Only matched files are held, so the size of this object does not grow with the layer.
 */
public final class LayerContents {
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, String> symlinks = new LinkedHashMap<>();
    final Set<String> whiteouts = new LinkedHashSet<>();
    final Set<String> opaqueDirs = new LinkedHashSet<>();
    /** Summaries of files read while streaming: path → summarizer name → summary. */
    final Map<String, Map<String, Object>> summaries = new LinkedHashMap<>();
    /** Matched paths whose content was not kept (over the size cap): they still hide lower versions. */
    final Set<String> shadowed = new LinkedHashSet<>();
    /** Matched hard links whose target was not kept in this layer: link → target, resolved after the merge. */
    final Map<String, String> pendingHardlinks = new LinkedHashMap<>();
    final java.util.List<String> warnings = new java.util.ArrayList<>();
    /** Bytes of {@link #files}, bounded by the reader's kept cap. */
    long keptBytes;
    long bytesRead;

    public Map<String, byte[]> files() {
        return files;
    }

    public Map<String, String> symlinks() {
        return symlinks;
    }

    public Set<String> whiteouts() {
        return whiteouts;
    }

    public Set<String> opaqueDirs() {
        return opaqueDirs;
    }

    public java.util.List<String> warnings() {
        return warnings;
    }

    /** Uncompressed bytes of the layer's tar. */
    public long bytesRead() {
        return bytesRead;
    }
}
