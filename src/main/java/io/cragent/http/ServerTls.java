package io.cragent.http;

import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTPS identity of a server from PEM files ({@code HTTPS_CERT}: the certificate, then its chain;
 * {@code HTTPS_KEY}: a PKCS#8 {@code PRIVATE KEY}, RSA or EC), as Camel's SSL parameters over an in-memory key store.
 * Agent and broker client both serve their port this way.
 */
public final class ServerTls {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private ServerTls() {
    }

    /**
     * With both files named, makes them the context's SSL parameters, which the server uses when
     * {@code camel.server.use-global-ssl-context-parameters} is on; with neither, leaves the server on http.
     */
    public static void install(CamelContext camelContext, String certificateFile, String keyFile) {
        String problem = pairingProblem(certificateFile, keyFile);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        if (!isBlank(certificateFile)) {
            camelContext.setSSLContextParameters(fromPem(Path.of(certificateFile.trim()), Path.of(keyFile.trim())));
        }
    }

    /** Null when both or neither are set, else a sentence naming the variables (never their contents). */
    public static String pairingProblem(String certificateFile, String keyFile) {
        return isBlank(certificateFile) != isBlank(keyFile) ? "set both HTTPS_CERT and HTTPS_KEY, or neither" : null;
    }

    public static SSLContextParameters fromPem(Path certificateFile, Path keyFile) {
        try {
            Certificate[] chain;
            try (InputStream in = Files.newInputStream(certificateFile)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            if (chain.length == 0) {
                throw new GeneralSecurityException("no certificate in " + certificateFile);
            }
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey(keyFile, chain[0].getPublicKey().getAlgorithm()),
                    password.toCharArray(), chain);
            KeyStoreParameters storeParameters = new KeyStoreParameters();
            storeParameters.setKeyStore(store);
            storeParameters.setPassword(password);
            KeyManagersParameters keyManagers = new KeyManagersParameters();
            keyManagers.setKeyStore(storeParameters);
            keyManagers.setKeyPassword(password);
            SSLContextParameters parameters = new SSLContextParameters();
            parameters.setKeyManagers(keyManagers);
            return parameters;
        } catch (GeneralSecurityException | IOException e) {
            // The message names files and the failure, never key material.
            throw new IllegalStateException("cannot load HTTPS_CERT " + certificateFile + " / HTTPS_KEY " + keyFile
                    + ": " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile, String algorithm) throws IOException, GeneralSecurityException {
        Matcher pem = PKCS8.matcher(Files.readString(keyFile));
        if (!pem.find()) {
            throw new GeneralSecurityException("the key must be a PEM \"PRIVATE KEY\" (PKCS#8; convert with "
                    + "'openssl pkcs8 -topk8 -nocrypt')");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.group(1).strip());
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
