package org.groundflow.fhir.mapping;

import java.nio.charset.StandardCharsets;

/**
 * Search parts of conditional URLs (PUT {@code Type?identifier=system|value}, {@code ifNoneExist}).
 * Values are escaped for FHIR search ({@code \ | , $}) and then percent-encoded where a URL needs it,
 * so a read id or patient id with odd characters still names exactly one resource.
 * Never put a {@code urn:uuid:} placeholder here: servers reject the whole transaction (HAPI-0929).
 */
final class SearchUrls {

    private SearchUrls() {
    }

    /** {@code Type?identifier=system|value}. */
    static String byIdentifier(String resourceType, String system, String value) {
        return resourceType + "?" + identifierQuery(system, value);
    }

    /** {@code identifier=system|value}, the form {@code ifNoneExist} takes. */
    static String identifierQuery(String system, String value) {
        return "identifier=" + encode(escape(system)) + "|" + encode(escape(value));
    }

    /** FHIR search escaping (R4 §3.1.1.4.4): backslash before {@code \ | , $}. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '|' || c == ',' || c == '$') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Percent-encodes UTF-8 bytes except unreserved characters and {@code : /}, which read well in identifiers. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == ':' || c == '/') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
