package io.cragent.scan.apps.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * yarn.lock v1 (yarn classic), read with the grammar of {@code @yarnpkg/lockfile}: indentation by two spaces,
 * {@code "key1", key2:} headers sharing one object, {@code key value} pairs with JSON-quoted or bare strings.
 */
final class YarnLockV1Parser {
    /** Deeper nesting than any real lockfile: stop before it could exhaust the stack. */
    private static final int MAX_DEPTH = 32;

    private enum Type { NEWLINE, INDENT, STRING, NUMBER, BOOLEAN, COLON, COMMA, INVALID, EOF }

    private record Token(Type type, String value, int line) {
    }

    private final List<Token> tokens;
    private int position;

    private YarnLockV1Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** {@code "name@range"} → entry object ({@code version}, {@code dependencies}, …). */
    static ObjectNode parse(String content) throws LockfileException {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        if (text.contains("<<<<<<<") && text.contains("=======") && text.contains(">>>>>>>")) {
            return parseConflicted(text);
        }
        return new YarnLockV1Parser(tokenize(text)).object(0);
    }

    /** Like yarn, an unresolved merge takes both sides (the second wins), or nothing when a side is broken. */
    private static ObjectNode parseConflicted(String text) {
        StringBuilder ours = new StringBuilder();
        StringBuilder theirs = new StringBuilder();
        StringBuilder target = null;
        boolean skipping = false;
        for (String line : text.split("\r?\n", -1)) {
            if (target == null && line.startsWith("<<<<<<<")) {
                target = ours;
                skipping = false;
            } else if (target == ours && line.equals("=======")) {
                target = theirs;
            } else if (target == ours && (skipping || line.startsWith("|||||||"))) {
                skipping = true;
            } else if (target == theirs && line.startsWith(">>>>>>>")) {
                target = null;
            } else if (target != null) {
                target.append(line).append('\n');
            } else {
                ours.append(line).append('\n');
                theirs.append(line).append('\n');
            }
        }
        try {
            ObjectNode merged = new YarnLockV1Parser(tokenize(ours.toString())).object(0);
            merged.setAll(new YarnLockV1Parser(tokenize(theirs.toString())).object(0));
            return merged;
        } catch (LockfileException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static List<Token> tokenize(String input) throws LockfileException {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int i = 0;
        boolean afterNewline = false;
        int n = input.length();
        while (i < n) {
            char c = input.charAt(i);
            int start = i;
            if (c == '\n' || c == '\r') {
                i += c == '\r' && i + 1 < n && input.charAt(i + 1) == '\n' ? 2 : 1;
                tokens.add(new Token(Type.NEWLINE, null, line++));
            } else if (c == '#') {
                while (i < n && input.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == ' ') {
                if (afterNewline) {
                    while (i < n && input.charAt(i) == ' ') {
                        i++;
                    }
                    if ((i - start) % 2 != 0) {
                        throw new LockfileException("yarn.lock line " + line + ": odd indentation");
                    }
                    tokens.add(new Token(Type.INDENT, String.valueOf((i - start) / 2), line));
                } else {
                    i++;
                }
            } else if (c == '"') {
                i = quotedEnd(input, i);
                tokens.add(quoted(input.substring(start, i), line));
            } else if (c >= '0' && c <= '9') {
                while (i < n && input.charAt(i) >= '0' && input.charAt(i) <= '9') {
                    i++;
                }
                tokens.add(new Token(Type.NUMBER, input.substring(start, i), line));
            } else if (input.startsWith("true", i)) {
                i += 4;
                tokens.add(new Token(Type.BOOLEAN, "true", line));
            } else if (input.startsWith("false", i)) {
                i += 5;
                tokens.add(new Token(Type.BOOLEAN, "false", line));
            } else if (c == ':' || c == ',') {
                i++;
                tokens.add(new Token(c == ':' ? Type.COLON : Type.COMMA, null, line));
            } else if (Character.isLetter(c) && c < 128 || c == '/' || c == '-') {
                while (i < n && ":, \n\r".indexOf(input.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(new Token(Type.STRING, input.substring(start, i), line));
            } else {
                i++;
                tokens.add(new Token(Type.INVALID, null, line));
            }
            afterNewline = c == '\n' || c == '\r';
        }
        tokens.add(new Token(Type.EOF, null, line));
        return tokens;
    }

    /** The index after the closing quote (an unescaped {@code "}); an unterminated string runs to the end. */
    private static int quotedEnd(String input, int open) {
        for (int i = open + 1; i < input.length(); i++) {
            if (input.charAt(i) == '"' && !(input.charAt(i - 1) == '\\' && input.charAt(i - 2) != '\\')) {
                return i + 1;
            }
        }
        return input.length();
    }

    private static Token quoted(String literal, int line) {
        try {
            JsonNode value = Json.MAPPER.readTree(literal);
            if (value != null && value.isTextual()) {
                return new Token(Type.STRING, value.asText(), line);
            }
        } catch (JsonProcessingException e) {
            // falls through: not a valid JSON string
        }
        return new Token(Type.INVALID, null, line);
    }

    private Token token() {
        return tokens.get(position);
    }

    private void advance() {
        if (position < tokens.size() - 1) {
            position++;
        }
    }

    private LockfileException unexpected(String what) {
        return new LockfileException("yarn.lock line " + token().line() + ": " + what);
    }

    private ObjectNode object(int indent) throws LockfileException {
        if (indent > MAX_DEPTH) {
            throw unexpected("nested too deeply");
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (true) {
            Token property = token();
            if (property.type() == Type.NEWLINE) {
                advance();
                if (indent == 0) {
                    continue;
                }
                Token next = token();
                if (next.type() != Type.INDENT || Integer.parseInt(next.value()) != indent) {
                    break;
                }
                advance();
            } else if (property.type() == Type.INDENT) {
                if (Integer.parseInt(property.value()) != indent) {
                    break;
                }
                advance();
            } else if (property.type() == Type.EOF) {
                break;
            } else if (property.type() == Type.STRING) {
                List<String> keys = new ArrayList<>(List.of(property.value()));
                advance();
                while (token().type() == Type.COMMA) {
                    advance();
                    if (token().type() != Type.STRING) {
                        throw unexpected("expected a key");
                    }
                    keys.add(token().value());
                    advance();
                }
                Token value = token();
                if (value.type() == Type.COLON) {
                    advance();
                    ObjectNode child = object(indent + 1);
                    keys.forEach(k -> object.set(k, child));
                    if (indent > 0 && token().type() != Type.INDENT) {
                        break;
                    }
                } else if (value.type() == Type.STRING || value.type() == Type.NUMBER
                        || value.type() == Type.BOOLEAN) {
                    keys.forEach(k -> object.put(k, value.value()));
                    advance();
                } else {
                    throw unexpected("invalid value");
                }
            } else {
                throw unexpected("unexpected token");
            }
        }
        return object;
    }
}
