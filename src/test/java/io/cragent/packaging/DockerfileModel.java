package io.cragent.packaging;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The instructions of a Dockerfile, as the builder reads them: comments dropped, continuation lines joined, each
 * instruction tagged with the stage (0-based, by FROM) it belongs to. Enough for structural checks without an engine.
 */
record DockerfileModel(List<Instruction> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One instruction; {@code args} is the text after the keyword, continuation lines joined by a space. */
    record Instruction(int stage, String keyword, String args) {
        /** The exec (JSON array) form's elements; fails when the instruction uses the shell form. */
        List<String> execForm() {
            String text = args.replaceFirst("^(--\\S+\\s+)*", "").replaceFirst("^CMD\\s+", "");
            try {
                return JSON.readValue(text, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new AssertionError(keyword + " is not in exec form: " + args, e);
            }
        }

        /** Words of the arguments that are not options ({@code --from=build}, {@code --chown=…}). */
        List<String> operands() {
            return List.of(args.split("\\s+")).stream().filter(w -> !w.startsWith("--")).toList();
        }

        String option(String name) {
            return List.of(args.split("\\s+")).stream().filter(w -> w.startsWith("--" + name + "="))
                    .map(w -> w.substring(name.length() + 3)).findFirst().orElse(null);
        }
    }

    static DockerfileModel read(Path file) throws IOException {
        List<Instruction> out = new ArrayList<>();
        int stage = -1;
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue; // comments and parser directives (# syntax=…)
            }
            if (trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            boolean continues = trimmed.endsWith("\\");
            pending.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (continues) {
                continue;
            }
            String text = pending.toString().strip().replaceAll("\\s+", " ");
            pending.setLength(0);
            String keyword = text.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            String args = text.contains(" ") ? text.substring(text.indexOf(' ') + 1) : "";
            if (keyword.equals("FROM")) {
                stage++;
            }
            out.add(new Instruction(stage, keyword, args));
        }
        return new DockerfileModel(List.copyOf(out));
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    int finalStage() {
        return all("FROM").size() - 1;
    }

    /** The instructions of the image that ships (the last stage). */
    List<Instruction> runtime(String keyword) {
        return all(keyword).stream().filter(i -> i.stage() == finalStage()).toList();
    }

    Instruction only(String keyword) {
        List<Instruction> found = runtime(keyword);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the runtime stage, found " + found.size());
        }
        return found.get(0);
    }
}
