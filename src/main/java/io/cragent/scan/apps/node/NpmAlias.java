package io.cragent.scan.apps.node;

/** {@code npm:<package>[@<range>]} dependency specs, which install a package under another name. */
final class NpmAlias {
    private NpmAlias() {
    }

    /** The real package's name, or null when the spec is not a well-formed alias. */
    static String target(String spec) {
        if (!spec.startsWith("npm:")) {
            return null;
        }
        String rest = spec.substring(4);
        if (rest.startsWith("@")) {
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return null;
            }
            int at = rest.indexOf('@', slash);
            return at < 0 ? rest : rest.substring(0, at);
        }
        int at = rest.lastIndexOf('@');
        if (at == 0) {
            return null;
        }
        return at < 0 ? rest : rest.substring(0, at);
    }
}
