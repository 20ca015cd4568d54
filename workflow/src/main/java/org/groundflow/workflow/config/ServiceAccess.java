package org.groundflow.workflow.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How Groundflow may call another service (a model server, the engine's REST API): with credentials, or without them
 * only when the configuration says so explicitly ({@code ...insecure=true}) and the service's host is a loopback
 * address. {@link #check()} stops the start otherwise, naming the settings; each setting is given by its name so that
 * the message says what to change.
 *
 * @param urlSetting         the name of the service's URL setting, e.g. {@code groundflow.model.remote-url}
 * @param url                its value
 * @param credentialsSetting the name of the credential setting(s), e.g. {@code groundflow.model.remote-token}
 * @param credentials        whether credentials are configured
 * @param insecureSetting    the name of the flag that allows calls without credentials
 * @param insecure           its value
 */
public record ServiceAccess(String urlSetting, String url, String credentialsSetting, boolean credentials,
                            String insecureSetting, boolean insecure) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** @throws IllegalStateException without credentials and not insecure, or insecure towards a non-loopback host */
    public void check() {
        if (insecure && !loopback(url)) {
            throw new IllegalStateException(insecureSetting + "=true is allowed for a loopback host only (127.0.0.1, ::1,"
                    + " localhost), but " + urlSetting + " is '" + url + "'");
        }
        if (!credentials && !insecure) {
            throw new IllegalStateException(urlSetting + " is '" + url + "' but " + credentialsSetting + " is not set:"
                    + " calls would go unauthenticated. Set it (in the environment or a secrets file, never on the"
                    + " command line), or, for a service on this machine's loopback interface only, " + insecureSetting
                    + "=true");
        }
    }

    /**
     * Whether the URL's host is {@code localhost} or a loopback IP literal (127.0.0.0/8, ::1). Other names are not
     * resolved: what a name stands for can change after the start.
     */
    public static boolean loopback(String url) {
        String host;
        try {
            host = URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        if (IPV4.matcher(host).matches()) {
            return Arrays.stream(host.split("\\.")).mapToInt(Integer::parseInt).allMatch(octet -> octet <= 255)
                    && host.startsWith("127.");
        }
        if (!host.startsWith("[") || !host.endsWith("]")) {
            return false;
        }
        try {
            return InetAddress.getByName(host.substring(1, host.length() - 1)).isLoopbackAddress(); // IPv6: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
