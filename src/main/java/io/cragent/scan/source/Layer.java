package io.cragent.scan.source;

/**
 * One layer of an image, bottom first in its list.
 *
 * @param id   what the {@code imageLayers} fact lists: the digest, or the archive path for docker-archive input
 * @param size compressed size in bytes, -1 when unknown
 */
public record Layer(String id, String digest, long size, String mediaType) {
}
