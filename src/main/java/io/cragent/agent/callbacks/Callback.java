package io.cragent.agent.callbacks;

import java.util.Map;

/**
 * One callback to deliver: where, with which headers, and its JSON body (at most the size limit).
 *
 * @param deliveryId {@code <jobId>/<imageName>}, with {@code /part-<n>} for a split result, or {@code <jobId>/done}:
 *                   the key a receiver de-duplicates on, since delivery is at least once
 * @param done       the job's last callback, sent only after every other callback of the job was delivered
 */
public record Callback(String jobId, String deliveryId, String url, Map<String, String> headers, byte[] body,
                       boolean done) {

    /** The header carrying {@link #deliveryId()}; the body has it as {@code deliveryId} too. */
    public static final String DELIVERY_ID_HEADER = "x-cr-agent-delivery-id";

    @Override
    public String toString() {
        return "Callback[" + deliveryId + " → " + url + ", " + body.length + " bytes]";
    }
}
