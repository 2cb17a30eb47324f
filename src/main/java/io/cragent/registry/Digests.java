package io.cragent.registry;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content digests: {@code sha256:<hex>} or {@code sha512:<hex>}, always over the raw bytes. */
public final class Digests {
    private Digests() {
    }

    public static MessageDigest newDigest(String digest) {
        String algorithm = digest.startsWith("sha512:") ? "SHA-512" : "SHA-256";
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String format(String like, byte[] hash) {
        return (like.startsWith("sha512:") ? "sha512:" : "sha256:") + HexFormat.of().formatHex(hash);
    }

    public static String sha256(byte[] bytes) {
        return format("sha256:", newDigest("sha256:").digest(bytes));
    }

    /** Fails with INTEGRITY_ERROR unless {@code bytes} hash to {@code expected} with its algorithm. */
    public static void verify(String expected, byte[] bytes, String what) {
        String actual = format(expected, newDigest(expected).digest(bytes));
        if (!actual.equals(expected)) {
            throw new AgentException(ErrorCode.INTEGRITY_ERROR, what + " does not match its digest " + expected);
        }
    }
}
