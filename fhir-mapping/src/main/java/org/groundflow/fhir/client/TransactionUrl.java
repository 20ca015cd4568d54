package org.groundflow.fhir.client;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;

/**
 * Posts a transaction given as JSON text to {@code [base]} itself, as a transaction given as a Bundle is posted: HAPI's
 * client appends a slash to the base URL for the text form, and a server may answer {@code [base]/} differently.
 */
final class TransactionUrl implements IClientInterceptor {

    private final String baseWithSlash;

    /** @param baseUrl the server's base URL without a trailing slash */
    TransactionUrl(String baseUrl) {
        this.baseWithSlash = baseUrl + "/";
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
        if ("POST".equals(request.getHttpVerbName()) && baseWithSlash.equals(request.getUri())) {
            request.setUri(baseWithSlash.substring(0, baseWithSlash.length() - 1));
        }
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
        // nothing to do with the answer
    }
}
