package io.cragent.agent.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cragent.errors.ErrorCode;

/**
 * What scanning one image of a job gave: the scanner's {@code PluginResponse}, or an error with a stable code and
 * a message written by us (never a registry's text or a credential).
 */
public record ImageOutcome(String imageName, ObjectNode result, ErrorCode errorCode, String errorMessage,
                           int packages) {

    public static ImageOutcome scanned(String imageName, ObjectNode result, int packages) {
        return new ImageOutcome(imageName, result, null, null, packages);
    }

    public static ImageOutcome failed(String imageName, ErrorCode code, String message) {
        return new ImageOutcome(imageName, null, code, message, 0);
    }

    public boolean ok() {
        return errorCode == null;
    }
}
