package io.cragent.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Writes the body as the JSON answer. platform-http copies every message header to the response, request
 * headers such as {@code Authorization} included, so all headers are dropped first and only ours are set.
 */
public final class JsonResponder implements Processor {
    /** Exchange property: extra response headers, as a {@code Map<String,String>}. */
    public static final String RESPONSE_HEADERS = "responseHeaders";
    private static final String WRITTEN = "responseWritten";

    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    @Override
    public void process(Exchange exchange) throws Exception {
        // A sub-route that handled an error has answered already; its caller then reaches this step again.
        if (exchange.getProperty(WRITTEN, false, Boolean.class)) {
            return;
        }
        exchange.setProperty(WRITTEN, true);
        Message message = exchange.getMessage();
        Object status = message.getHeader(Exchange.HTTP_RESPONSE_CODE);
        byte[] body = json.writeValueAsBytes(message.getBody());
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status != null ? status : 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        java.util.Map<?, ?> extra = exchange.getProperty(RESPONSE_HEADERS, java.util.Map.class);
        if (extra != null) {
            extra.forEach((name, value) -> message.setHeader(String.valueOf(name), value));
        }
        message.setBody(body);
    }
}
