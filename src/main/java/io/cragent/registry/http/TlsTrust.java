package io.cragent.registry.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The JVM's trusted roots plus an optional PEM bundle ({@code CA_CERT} / {@code NODE_EXTRA_CA_CERTS}): the bundle is
 * added to the defaults, never replaces them, as Node does.
 */
public final class TlsTrust {
    private TlsTrust() {
    }

    /** The extra bundle a process trusts: {@code CA_CERT}, else {@code NODE_EXTRA_CA_CERTS} (as Node reads it); null for none. */
    public static Path caBundle(String caCert, String nodeExtraCaCerts) {
        String bundle = caCert != null && !caCert.isBlank() ? caCert : nodeExtraCaCerts;
        return bundle == null || bundle.isBlank() ? null : Path.of(bundle.trim());
    }

    /**
     * The context of {@link #sslContext(Path)}, made on the first TLS connection; a bundle that holds no certificate
     * fails here and now, not at that connection.
     */
    public static SSLContext lazySslContext(Path extraCaBundle) {
        if (extraCaBundle != null) {
            try (InputStream in = Files.newInputStream(extraCaBundle)) {
                if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                    throw new GeneralSecurityException("no certificate found in the bundle");
                }
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("cannot load the CA bundle " + extraCaBundle + ": " + e.getMessage(), e);
            }
        }
        return new LazySslContext(() -> sslContext(extraCaBundle));
    }

    public static SSLContext sslContext(Path extraCaBundle) {
        try {
            if (extraCaBundle == null) {
                return SSLContext.getDefault(); // nothing to add: no copy of the JVM's roots needed
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[]{withBundle(extraCaBundle)}, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the CA bundle " + extraCaBundle + ": " + e.getMessage(), e);
        }
    }

    /** The JVM's roots plus the bundle, for clients that take trust managers rather than an SSL context. */
    public static X509TrustManager trustManager(Path extraCaBundle) {
        try {
            return withBundle(extraCaBundle);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot load the CA bundle " + extraCaBundle + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager withBundle(Path extraCaBundle) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        X509Certificate[] defaults = defaultTrustManager().getAcceptedIssuers();
        for (int i = 0; i < defaults.length; i++) {
            store.setCertificateEntry("default-" + i, defaults[i]);
        }
        if (extraCaBundle != null) {
            int added = 0;
            try (InputStream in = Files.newInputStream(extraCaBundle)) {
                for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("extra-" + added++, cert);
                }
            }
            if (added == 0) {
                throw new GeneralSecurityException("no certificate found in the bundle");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return firstX509(factory);
    }

    private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        return firstX509(factory);
    }

    private static X509TrustManager firstX509(TrustManagerFactory factory) {
        return Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance)
                .map(X509TrustManager.class::cast)
                .findFirst()
                .orElseThrow();
    }
}
