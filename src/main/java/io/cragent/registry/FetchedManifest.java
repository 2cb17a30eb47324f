package io.cragent.registry;

import io.cragent.registry.manifest.Manifest;

/** A manifest as served, with the digest it was verified against. */
public record FetchedManifest(String digest, String mediaType, long size, Manifest manifest) {
}
