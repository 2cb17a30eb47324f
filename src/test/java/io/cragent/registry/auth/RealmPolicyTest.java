package io.cragent.registry.auth;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealmPolicyTest {
    private final RealmPolicy policy = new RealmPolicy(Set.of("auth.docker.io"));

    @Test
    void acceptsTheRegistryItsDomainAndTheAllowList() {
        URI registry = URI.create("https://registry.example.com/v2/");
        assertThat(policy.check("https://registry.example.com:8443/token", registry)).isNotNull();
        assertThat(policy.check("https://auth.registry.example.com/token", registry)).isNotNull();
        assertThat(policy.check("https://login.example.com/token", registry)).isNotNull();
        assertThat(policy.check("https://auth.docker.io/token", URI.create("https://registry-1.docker.io/v2/"))).isNotNull();
        assertThat(policy.check("https://127.0.0.1:5600/token", URI.create("https://127.0.0.1:5000/v2/"))).isNotNull();
    }

    @Test
    void acceptsTheCloudRegistriesRealmsWithTheDefaultAllowList() {
        RealmPolicy defaults = new RealmPolicy(io.cragent.registry.RegistrySettings.defaults().realmHosts());
        // ACR: the realm is the registry's own host.
        assertThat(defaults.check("https://myreg.azurecr.io/oauth2/token", URI.create("https://myreg.azurecr.io/v2/")))
                .isNotNull();
        // GCR: gcr.io's realm serves the regional hosts too (a parent domain).
        assertThat(defaults.check("https://gcr.io/v2/token", URI.create("https://gcr.io/v2/"))).isNotNull();
        assertThat(defaults.check("https://gcr.io/v2/token", URI.create("https://eu.gcr.io/v2/"))).isNotNull();
        // Artifact Registry: the region's host, or Google's OAuth endpoint (googleapis.com is a public suffix,
        // so only the allow-list admits it).
        URI ar = URI.create("https://europe-west3-docker.pkg.dev/v2/");
        assertThat(defaults.check("https://europe-west3-docker.pkg.dev/v2/token", ar)).isNotNull();
        assertThat(defaults.check("https://oauth2.googleapis.com/token", ar)).isNotNull();
        assertRejected(defaults, "https://evil.googleapis.com/token", ar);
        assertRejected(defaults, "https://gcr.io.evil.example/v2/token", URI.create("https://gcr.io/v2/"));
    }

    @Test
    void refusesOtherHostsAddressesAndSchemes() {
        URI registry = URI.create("https://registry.example.com/v2/");
        assertRejected("https://evil.example.org/token", registry);
        assertRejected("https://169.254.169.254/latest/meta-data", registry);
        assertRejected("https://10.0.0.1/token", registry);
        assertRejected("http://registry.example.com/token", registry);
        assertRejected("https://user:pw@registry.example.com/token", registry);
        assertRejected("file:///etc/passwd", registry);
        assertRejected("/relative/token", registry);
        assertRejected("https://127.0.0.2:5600/token", URI.create("https://127.0.0.1:5000/v2/"));
        // A public suffix is not a shared registrable domain.
        assertRejected("https://attacker.co.uk/token", URI.create("https://registry.victim.co.uk/v2/"));
    }

    private void assertRejected(String realm, URI registry) {
        assertRejected(policy, realm, registry);
    }

    private static void assertRejected(RealmPolicy policy, String realm, URI registry) {
        assertThatThrownBy(() -> policy.check(realm, registry))
                .isInstanceOf(AgentException.class)
                .extracting(e -> ((AgentException) e).code()).isEqualTo(ErrorCode.UNTRUSTED_REALM);
    }
}
