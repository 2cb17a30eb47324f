package io.cragent.scan.apps.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The TOML that pyproject.toml and poetry.lock use, as JSON: tables, arrays of tables, dotted and quoted keys,
 * strings of all four kinds, arrays and inline tables. Numbers, booleans and dates are kept as their text, which is
 * all the poetry reader needs. Malformed input throws {@link IllegalArgumentException} with the line.
 */
final class MiniToml {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String text;
    private int pos;
    private int line = 1;

    private MiniToml(String text) {
        this.text = text;
    }

    static ObjectNode parse(String text) {
        return new MiniToml(text.startsWith("\uFEFF") ? text.substring(1) : text).document();
    }

    private ObjectNode document() {
        ObjectNode root = NODES.objectNode();
        ObjectNode current = root;
        while (true) {
            skipBlankLinesAndComments();
            if (pos >= text.length()) {
                return root;
            }
            if (peek() == '[') {
                boolean arrayTable = text.startsWith("[[", pos);
                pos += arrayTable ? 2 : 1;
                List<String> path = key();
                expect(arrayTable ? "]]" : "]");
                current = arrayTable ? appendTable(root, path) : table(root, path);
            } else {
                List<String> path = key();
                expect("=");
                ObjectNode owner = descend(current, path.subList(0, path.size() - 1));
                String last = path.get(path.size() - 1);
                if (owner.has(last)) {
                    throw error("duplicate key " + last);
                }
                owner.set(last, value());
            }
            endOfLine();
        }
    }

    private ObjectNode table(ObjectNode root, List<String> path) {
        return descend(root, path);
    }

    private ObjectNode appendTable(ObjectNode root, List<String> path) {
        ObjectNode parent = descend(root, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        JsonNode existing = parent.get(last);
        ArrayNode array;
        if (existing == null) {
            array = parent.putArray(last);
        } else if (existing.isArray()) {
            array = (ArrayNode) existing;
        } else {
            throw error(last + " is not an array of tables");
        }
        return array.addObject();
    }

    /** Walks or creates tables; through an array of tables it continues in the last element. */
    private ObjectNode descend(ObjectNode from, List<String> path) {
        ObjectNode node = from;
        for (String part : path) {
            JsonNode next = node.get(part);
            if (next == null) {
                node = node.putObject(part);
            } else if (next.isObject()) {
                node = (ObjectNode) next;
            } else if (next.isArray() && !next.isEmpty() && next.get(next.size() - 1).isObject()) {
                node = (ObjectNode) next.get(next.size() - 1);
            } else {
                throw error(part + " is not a table");
            }
        }
        return node;
    }

    private List<String> key() {
        List<String> parts = new ArrayList<>();
        while (true) {
            skipSpaces();
            char c = peek();
            if (c == '"' || c == '\'') {
                parts.add(string());
            } else {
                int start = pos;
                while (pos < text.length() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
                    pos++;
                }
                if (start == pos) {
                    throw error("expected a key");
                }
                parts.add(text.substring(start, pos));
            }
            skipSpaces();
            if (pos < text.length() && peek() == '.') {
                pos++;
                continue;
            }
            return parts;
        }
    }

    private JsonNode value() {
        skipSpaces();
        char c = peek();
        if (c == '"' || c == '\'') {
            return NODES.textNode(string());
        }
        if (c == '[') {
            pos++;
            ArrayNode array = NODES.arrayNode();
            while (true) {
                skipWhitespaceAndComments();
                if (peek() == ']') {
                    pos++;
                    return array;
                }
                array.add(value());
                skipWhitespaceAndComments();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != ']') {
                    throw error("expected , or ] in an array");
                }
            }
        }
        if (c == '{') {
            pos++;
            ObjectNode table = NODES.objectNode();
            skipSpaces();
            if (peek() == '}') {
                pos++;
                return table;
            }
            while (true) {
                List<String> path = key();
                expect("=");
                descend(table, path.subList(0, path.size() - 1)).set(path.get(path.size() - 1), value());
                skipSpaces();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    return table;
                } else {
                    throw error("expected , or } in an inline table");
                }
            }
        }
        // Numbers, booleans, dates: up to the next delimiter, kept as text.
        int start = pos;
        while (pos < text.length() && ",]}#\n\r".indexOf(peek()) < 0) {
            pos++;
        }
        String raw = text.substring(start, pos).strip();
        if (raw.isEmpty()) {
            throw error("expected a value");
        }
        return raw.equals("true") || raw.equals("false") ? NODES.booleanNode(raw.equals("true")) : NODES.textNode(raw);
    }

    private String string() {
        char quote = peek();
        boolean multi = text.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += multi ? 3 : 1;
        if (multi && text.startsWith("\n", pos)) {
            pos++;
            line++;
        } else if (multi && text.startsWith("\r\n", pos)) {
            pos += 2;
            line++;
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (multi ? text.startsWith(String.valueOf(quote).repeat(3), pos) : c == quote) {
                pos += multi ? 3 : 1;
                // Up to two quotes right before the closing three belong to the string.
                for (int extra = 0; multi && extra < 2 && pos < text.length() && text.charAt(pos) == quote; extra++) {
                    out.append(quote);
                    pos++;
                }
                return out.toString();
            }
            if (c == '\n') {
                if (!multi) {
                    throw error("newline in a string");
                }
                line++;
            }
            if (c == '\\' && quote == '"') {
                pos++;
                out.append(escape(multi));
                continue;
            }
            out.append(c);
            pos++;
        }
    }

    private String escape(boolean multi) {
        if (pos >= text.length()) {
            throw error("unterminated escape");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case 'b': return "\b";
            case 't': return "\t";
            case 'n': return "\n";
            case 'f': return "\f";
            case 'r': return "\r";
            case '"': return "\"";
            case '\\': return "\\";
            case 'u':
            case 'U': {
                int n = c == 'u' ? 4 : 8;
                if (pos + n > text.length()) {
                    throw error("short unicode escape");
                }
                int code = Integer.parseInt(text.substring(pos, pos + n), 16);
                pos += n;
                return new String(Character.toChars(code));
            }
            default:
                if (multi && Character.isWhitespace(c)) {
                    // Line-ending backslash: drop the newline and leading whitespace of the next line.
                    pos--;
                    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                        if (text.charAt(pos) == '\n') {
                            line++;
                        }
                        pos++;
                    }
                    return "";
                }
                throw error("bad escape \\" + c);
        }
    }

    private void endOfLine() {
        skipSpaces();
        if (pos < text.length() && peek() == '#') {
            skipComment();
        }
        if (pos < text.length()) {
            if (peek() == '\r') {
                pos++;
            }
            if (pos < text.length() && peek() != '\n') {
                throw error("unexpected text after a value");
            }
        }
    }

    private void skipBlankLinesAndComments() {
        skipWhitespaceAndComments();
    }

    private void skipWhitespaceAndComments() {
        while (pos < text.length()) {
            char c = peek();
            if (c == '\n') {
                line++;
                pos++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        while (pos < text.length() && peek() != '\n') {
            pos++;
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void expect(String token) {
        skipSpaces();
        if (!text.startsWith(token, pos)) {
            throw error("expected " + token);
        }
        pos += token.length();
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("TOML line " + line + ": " + message);
    }
}
