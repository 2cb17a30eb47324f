package io.cragent.registry;

import java.util.List;

/** One page of tags and the opaque cursor of the next, null on the last page. */
public record TagPage(List<String> tags, String next) {
}
