package io.cragent.scan.apps.java;

import io.cragent.scan.layers.FileSummarizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Predicate;

/** The hex sha256 of each wanted file, computed as it streams (runtimes are large; nothing is held). */
final class Sha256Summarizer implements FileSummarizer {
    private final String name;
    private final Predicate<String> wanted;

    Sha256Summarizer(String name, Predicate<String> wanted) {
        this.name = name;
        this.wanted = wanted;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean wants(String path) {
        return wanted.test(path);
    }

    @Override
    public String summarize(String path, InputStream content, long size) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        new DigestInputStream(content, sha256).transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(sha256.digest());
    }
}
