package io.cragent.scan.apps.golang;

import io.cragent.scan.output.DepGraph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a Go binary's build info and pclntab file names in one forward pass over its stream.
 *
 * <p>The Go linker writes the section headers right after the ELF header, and .shstrtab, .gopclntab and
 * .go.buildinfo in that order, so the parse steps ask for byte ranges that are still ahead: each round runs the
 * steps, fetches the nearest range one of them is missing, and repeats. A binary whose section headers sit at the
 * end (external linking) cannot be read that way; if its first page carries a Go build-id note it is buffered
 * whole, up to {@link #BUFFER_CAP}, for random access.
 *
 * <p>Go 1.13–1.17 binaries keep only two pointers in .go.buildinfo; the strings they lead to lie in .rodata, which
 * streams past before the pointers are read. When the section headers show that layout (a bare 32-byte blob,
 * {@link GoBuildInfo#pointedStrings}), the .rodata bytes are kept as they pass, up to {@link #RODATA_CAP}; a larger
 * .rodata, or strings elsewhere, are reported as a problem.
 */
final class GoElfReader {
    static final int PREFIX = 64 * 1024;
    /** Largest binary buffered whole (only externally linked Go binaries are). */
    static final long BUFFER_CAP = 256L * 1024 * 1024;
    /** Largest .rodata kept for a Go 1.13–1.17 build info (the same bound as one pclntab read). */
    static final long RODATA_CAP = PclnFiles.CAP;
    private static final int MAX_ROUNDS = 32;
    private static final long READ_AHEAD = 128 * 1024;

    private final InputStream in;
    private final SparseBytes bytes;
    private long pos;
    private ElfFile elf;
    private boolean named;
    /** .rodata, kept as it streams past for a pre-1.18 build info; null when not needed or too large. */
    private ElfFile.Section keep;
    private String notKept = "";
    /** The pclntab's file names, or why they could not be read: read once, kept across rounds. */
    private List<String> files;
    private String pclnProblem;

    private GoElfReader(InputStream in, long size) {
        this.in = in;
        this.bytes = new SparseBytes(size);
    }

    /** The binary's summary; null when the file is not a Go binary with module info. */
    static GoBinarySummary read(InputStream in, long size) throws IOException {
        return new GoElfReader(in, size).read();
    }

    private GoBinarySummary read() throws IOException {
        // Most candidates are not ELF at all: look at four bytes before taking a page.
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' || magic[3] != 'F') {
            return null;
        }
        byte[] prefix = Arrays.copyOf(magic, (int) Math.min(bytes.fileSize(), PREFIX));
        prefix = Arrays.copyOf(prefix, 4 + in.readNBytes(prefix, 4, prefix.length - 4));
        try {
            elf = ElfFile.header(prefix);
        } catch (RuntimeException e) {
            return null;
        }
        bytes.put(0, prefix);
        pos = prefix.length;
        if (!elf.readPrograms(bytes)) {
            return null;
        }
        if (elf.shoff <= 0 || elf.sectionTableEnd() > prefix.length) {
            if (!hasGoNote(prefix)) {
                return null;
            }
            if (bytes.fileSize() > BUFFER_CAP) {
                return GoBinarySummary.problem("section headers at the end and " + bytes.fileSize()
                        + " bytes, over the " + BUFFER_CAP + " byte buffer cap");
            }
            byte[] all = Arrays.copyOf(prefix, (int) bytes.fileSize());
            int read = in.readNBytes(all, prefix.length, all.length - prefix.length);
            bytes.put(0, Arrays.copyOf(all, prefix.length + read));
            pos = bytes.fileSize();
        }
        if (!elf.readSections(bytes)) {
            return null;
        }
        ElfFile.Section strings = GoBuildInfo.pointedStrings(elf);
        if (strings != null && strings.size() > RODATA_CAP) {
            notKept = "; its .rodata (" + strings.size() + " bytes) is over the " + RODATA_CAP + " byte cap";
        } else if (strings != null && strings.offset() + strings.size() <= bytes.fileSize()) {
            keep = strings;
        }
        return rounds();
    }

    private GoBinarySummary rounds() throws IOException {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Missing> wants = new ArrayList<>();
            Step step = attempt(wants);
            if (step.done) {
                return step.summary;
            }
            wants.sort(Comparator.comparingLong(m -> m.offset));
            Missing next = wants.get(0);
            if (next.offset < pos && bytes.has(next.offset, pos - next.offset)) {
                next = new Missing(pos, next.offset + next.length - pos); // only its tail is still ahead
            }
            if (next.offset < 0 || next.length < 0 || next.offset + next.length > bytes.fileSize()) {
                return GoBinarySummary.problem("truncated: its headers point past the end of the file");
            }
            if (next.offset < pos) {
                return GoBinarySummary.problem("build info needs bytes " + next.offset + "+" + next.length
                        + " that precede what it points from (Go before 1.18?)" + notKept + "; not read");
            }
            long end = next.offset + next.length;
            for (Missing other : wants) {
                if (other.offset <= end) {
                    end = Math.max(end, other.offset + other.length);
                }
            }
            // Read ahead a little: a step that peeked at a header usually wants what follows next round.
            end = Math.min(Math.max(end, next.offset + READ_AHEAD), bytes.fileSize());
            if (end - next.offset > PclnFiles.CAP) {
                return GoBinarySummary.problem("needs " + (end - next.offset) + " bytes at once, over the cap");
            }
            if (!advance(next.offset)) {
                return GoBinarySummary.problem("file ends early");
            }
            byte[] block = take(end - next.offset);
            bytes.put(next.offset, block);
            pos = next.offset + block.length;
            if (block.length < end - next.offset) {
                return GoBinarySummary.problem("file ends early");
            }
        }
        return GoBinarySummary.problem("too many reads");
    }

    /** Moves the stream to {@code offset}, keeping what it passes of {@link #keep}; false when the file ends. */
    private boolean advance(long offset) throws IOException {
        long from = keep == null ? offset : Math.max(pos, keep.offset());
        long to = keep == null ? offset : Math.min(offset, keep.offset() + keep.size());
        if (from < to) {
            in.skipNBytes(from - pos);
            byte[] kept = take(to - from);
            bytes.put(from, kept);
            pos = from + kept.length;
            if (kept.length < to - from) {
                return false;
            }
        }
        in.skipNBytes(offset - pos);
        return true;
    }

    /** The next {@code n} bytes (fewer at the end of the file), read into one array of their size. */
    private byte[] take(long n) throws IOException {
        byte[] out = new byte[(int) n];
        int read = in.readNBytes(out, 0, out.length);
        return read == out.length ? out : Arrays.copyOf(out, read);
    }

    private record Step(boolean done, GoBinarySummary summary) {
    }

    private static final Step WAIT = new Step(false, null);

    private static Step done(GoBinarySummary summary) {
        return new Step(true, summary);
    }

    /** One pass of every parse step; a step short of bytes adds what it needs to {@code wants}. */
    private Step attempt(List<Missing> wants) {
        if (!named) {
            ElfFile.Section strtab = elf.shstrtab();
            if (strtab == null) {
                return done(null);
            }
            named = elf.nameSections(bytes);
            if (!named) {
                wants.add(new Missing(strtab.offset(), Math.min(strtab.size(), bytes.fileSize() - strtab.offset())));
                return WAIT;
            }
        }
        ElfFile.Section info = elf.section(".go.buildinfo");
        ElfFile.Section note = elf.section(".note.go.buildid");
        ElfFile.Section pcln = elf.section(".gopclntab");
        if (info == null && note == null) {
            return done(null);
        }
        GoBuildInfo.Raw raw = null;
        try {
            if (!isGo(info, note)) {
                return done(null);
            }
            raw = GoBuildInfo.read(elf, bytes);
        } catch (Missing m) {
            wants.add(m);
        } catch (GoBuildInfo.NotGo e) {
            return done(null);
        }
        if (pcln != null && files == null && pclnProblem == null) {
            try {
                files = PclnFiles.read(pcln, bytes);
            } catch (Missing m) {
                wants.add(m);
            } catch (RuntimeException e) {
                pclnProblem = e.getMessage();
            }
        }
        if (!wants.isEmpty()) {
            return WAIT;
        }
        return done(summarize(raw, pcln != null, files, pclnProblem));
    }

    /** The reference's gate: a .go.buildinfo starting with the magic, else a Go build-id note. */
    private boolean isGo(ElfFile.Section info, ElfFile.Section note) {
        if (info != null) {
            byte[] head = Missing.require(bytes, info.offset(), Math.min(info.size(), GoBuildInfo.MAGIC.length));
            return Arrays.equals(head, GoBuildInfo.MAGIC);
        }
        byte[] data = Missing.require(bytes, note.offset(), Math.min(note.size(), PREFIX));
        List<String> strings = Arrays.stream(new String(data, StandardCharsets.UTF_8).split("\u0000+"))
                .filter(s -> !s.isEmpty()).toList();
        return strings.size() >= 2 && strings.get(strings.size() - 2).equals("Go")
                && strings.get(strings.size() - 1).split("/", -1).length >= 2;
    }

    private static GoBinarySummary summarize(GoBuildInfo.Raw raw, boolean hasPcln, List<String> files,
                                             String pclnProblem) {
        GoModules modules;
        try {
            modules = new GoModules(raw.modInfo());
        } catch (IllegalArgumentException e) {
            return GoBinarySummary.problem(e.getMessage());
        }
        if (files != null) {
            modules.matchFiles(files);
        }
        List<DepGraph.Pkg> pkgs = new ArrayList<>();
        for (GoModules.Module module : modules.modules) {
            if (!module.packages.isEmpty()) {
                module.packages.forEach(p -> pkgs.add(new DepGraph.Pkg(p, module.version, null)));
            } else if (!hasPcln) {
                // Without a pclntab (stripped binaries) only modules are known.
                pkgs.add(new DepGraph.Pkg(module.name, module.version, null));
            }
        }
        String go = GoModules.goVersion(raw.goVersion());
        if (!go.isEmpty()) {
            pkgs.add(new DepGraph.Pkg("stdlib", go, null));
        }
        return new GoBinarySummary(modules.name, List.copyOf(pkgs),
                pclnProblem == null ? null : "unreadable .gopclntab (" + pclnProblem + "): packages not known");
    }

    /** A Go build-id note (name "Go", type 4) in a PT_NOTE segment within the first page. */
    private boolean hasGoNote(byte[] prefix) {
        for (ElfFile.Program p : elf.programs) {
            if (p.type() != ElfFile.PT_NOTE || p.offset() < 0 || p.offset() + p.filesz() > prefix.length) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(prefix, 0, prefix.length).order(elf.order);
            long at = p.offset();
            long end = p.offset() + p.filesz();
            while (at + 12 <= end) {
                int namesz = b.getInt((int) at);
                int descsz = b.getInt((int) at + 4);
                int type = b.getInt((int) at + 8);
                if (namesz < 0 || descsz < 0) {
                    break;
                }
                long name = at + 12;
                if (type == 4 && namesz >= 2 && name + 2 <= end && prefix[(int) name] == 'G' && prefix[(int) name + 1] == 'o') {
                    return true;
                }
                at = name + align4(namesz) + align4(descsz);
            }
        }
        return false;
    }

    private static long align4(long n) {
        return (n + 3) & ~3L;
    }
}
