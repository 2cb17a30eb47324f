package io.cragent.registry.manifest;

import io.cragent.errors.AgentException;
import io.cragent.errors.ErrorCode;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks the entry of an index that serves a platform: the first exact match wins, then the nearest older variant
 * (arm v8 → v7 → v6 → v5, amd64 vN → … → v1). Attestations and unknown media types are never candidates.
 */
public final class PlatformSelector {
    private static final Map<String, List<String>> FALLBACKS = Map.of(
            "arm", List.of("v8", "v7", "v6", "v5"),
            "amd64", List.of("v4", "v3", "v2", "v1"));

    private PlatformSelector() {
    }

    /** The chosen entry, and a warning when it was a guess. */
    public record Selection(Descriptor descriptor, String warning) {
    }

    public static Selection select(Manifest.Index index, Platform wanted) {
        List<Descriptor> candidates = index.manifests().stream()
                .filter(d -> MediaTypes.isImageManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType()))
                .filter(d -> !d.isAttestation())
                .toList();
        Optional<Descriptor> chosen = wanted.variant() == null ? anyVariant(candidates, wanted) : byVariant(candidates, wanted);
        if (chosen.isPresent()) {
            return new Selection(chosen.get(), null);
        }
        if (candidates.size() == 1) {
            return new Selection(candidates.get(0), "the index has a single image, for "
                    + describe(candidates.get(0)) + ", which was used for " + wanted);
        }
        throw new AgentException(ErrorCode.PLATFORM_NOT_FOUND, "no image for " + wanted + "; available: "
                + candidates.stream().map(PlatformSelector::describe).toList());
    }

    /** No variant asked: any variant of the architecture; the implied or baseline one first. */
    private static Optional<Descriptor> anyVariant(List<Descriptor> candidates, Platform wanted) {
        List<Descriptor> sameArch = candidates.stream().filter(d -> sameOsArch(d, wanted)).toList();
        return sameArch.stream()
                .filter(d -> d.platform().variant() == null
                        || Objects.equals(d.platform().effectiveVariant(), wanted.effectiveVariant()))
                .findFirst()
                .or(() -> sameArch.stream().findFirst());
    }

    private static Optional<Descriptor> byVariant(List<Descriptor> candidates, Platform wanted) {
        List<String> order = FALLBACKS.getOrDefault(wanted.architecture(), List.of());
        int start = order.indexOf(wanted.effectiveVariant());
        List<String> acceptable = start >= 0 ? order.subList(start, order.size()) : List.of(wanted.effectiveVariant());
        for (String variant : acceptable) {
            Optional<Descriptor> match = candidates.stream()
                    .filter(d -> sameOsArch(d, wanted) && variant.equals(d.platform().effectiveVariant()))
                    .findFirst();
            if (match.isPresent()) {
                return match;
            }
        }
        return Optional.empty();
    }

    private static boolean sameOsArch(Descriptor d, Platform wanted) {
        return d.platform() != null && d.platform().os().equals(wanted.os())
                && d.platform().architecture().equals(wanted.architecture());
    }

    private static String describe(Descriptor d) {
        return d.platform() == null ? "unspecified platform" : d.platform().toString();
    }
}
