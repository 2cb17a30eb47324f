package io.cragent.registry.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkHeaderTest {
    private final URI request = URI.create("https://r.example.com:5000/v2/_catalog?n=100");

    @Test
    void resolvesARelativeNextLinkAgainstTheRequest() {
        assertThat(LinkHeader.next(List.of("</v2/_catalog?last=b%2Fc&n=100>; rel=\"next\""), request))
                .contains(URI.create("https://r.example.com:5000/v2/_catalog?last=b%2Fc&n=100"));
    }

    @Test
    void findsNextAmongSeveralLinksAndRelValues() {
        String header = "<https://r.example.com:5000/v2/x/tags/list?last=1>; rel=\"prev\", "
                + "<https://r.example.com:5000/v2/x/tags/list?last=9>; title=\"t\"; rel=\"last next\"";
        assertThat(LinkHeader.next(List.of(header), request))
                .contains(URI.create("https://r.example.com:5000/v2/x/tags/list?last=9"));
        assertThat(LinkHeader.next(List.of("</v2/x?last=2>; rel=next"), request))
                .contains(URI.create("https://r.example.com:5000/v2/x?last=2"));
    }

    @Test
    void noNextWithoutARelNext() {
        assertThat(LinkHeader.next(List.of("</v2/x?last=2>; rel=\"prev\""), request)).isEmpty();
        assertThat(LinkHeader.next(List.of(), request)).isEmpty();
    }
}
