package org.groundflow.workflow.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.groundflow.workflow.web.ApiError;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Sign-in for everything but the health probe, and who may do what (README, "Security").
 * <ul>
 * <li>The engine's REST API ({@code /engine-rest/**}) takes HTTP basic on every call and never a session: a page of
 * another site cannot borrow a signed-in browser there. It is for admins; workers reach only the external tasks of
 * their topics ({@link WorkerTopics}).</li>
 * <li>Everything else takes HTTP basic or the sign-in form's session. A state-changing call that comes with a session
 * cookie needs the CSRF token (the {@code GF-XSRF-TOKEN} cookie's value echoed in the {@code X-GF-XSRF-TOKEN} header
 * or a {@code _csrf} field); a call with HTTP basic credentials, or without any session cookie, carries no ambient
 * credentials and needs none, except the sign-in form, which always needs its token.
 * Camunda's webapps ({@code /camunda/app/**}, {@code /camunda/api/**}) check their own token ({@code XSRF-TOKEN}
 * cookie, {@code X-XSRF-TOKEN} header) in their filter.</li>
 * <li>The AI monitoring ({@code /monitoring/**}, {@code /api/monitoring}) is for admins only.</li>
 * <li>Worker service accounts have no other role: Groundflow's API, the review UI and the webapps refuse them.</li>
 * </ul>
 * No answer challenges for HTTP basic ({@code WWW-Authenticate}), so browsers never cache basic credentials, which
 * would be ambient credentials too. Refusals of API calls are JSON in the API's error shape.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "groundflow.security.enabled", havingValue = "true", matchIfMissing = true)
public class GroundflowSecurity {

    static final String CSRF_COOKIE = "GF-XSRF-TOKEN";
    static final String CSRF_HEADER = "X-GF-XSRF-TOKEN";

    @Bean
    @Order(1)
    public SecurityFilterChain engineRestFilterChain(HttpSecurity http, CamundaIdentityAuthentication identity,
                                                     ExternalTaskService externalTasks) throws Exception {
        // matched on the request URI: the engine's REST API is not served by Spring MVC's dispatcher
        RequestMatcher engineRest = request -> path(request).equals("/engine-rest") || path(request).startsWith("/engine-rest/");
        RequestMatcher externalTaskCalls = request -> WorkerTopics.EXTERNAL_TASK.matcher(path(request)).matches();
        http.securityMatcher(engineRest)
                .authenticationProvider(identity)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(externalTaskCalls).hasAnyRole(Roles.ADMIN, Roles.WORKER)
                        .anyRequest().hasRole(Roles.ADMIN))
                .httpBasic(basic -> basic.authenticationEntryPoint(GroundflowSecurity::unauthorized))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                // no session is read here, so no call carries ambient credentials for CSRF to guard
                .csrf(AbstractHttpConfigurer::disable)
                .exceptionHandling(errors -> errors.authenticationEntryPoint(GroundflowSecurity::unauthorized)
                        .accessDeniedHandler(GroundflowSecurity::forbidden))
                .addFilterAfter(new WorkerTopics(externalTasks), AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(2)
    public SecurityFilterChain groundflowFilterChain(HttpSecurity http, CamundaIdentityAuthentication identity) throws Exception {
        RequestMatcher machineCalls = request -> {
            String path = path(request);
            return path.startsWith("/api/") || path.startsWith("/actuator/");
        };
        // the sign-in form keeps its token without a session too: a forged sign-in would sign the victim in as another
        RequestMatcher noSessionCredentials = request -> basicCredentials(request)
                || request.getRequestedSessionId() == null && !path(request).equals("/login");
        RequestMatcher camundaWebapps = request -> path(request).startsWith("/camunda/api/")
                || path(request).startsWith("/camunda/app/");
        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieName(CSRF_COOKIE);
        csrfTokens.setHeaderName(CSRF_HEADER);
        csrfTokens.setCookiePath("/");
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Strict"));
        http.authenticationProvider(identity)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Roles.ADMIN)
                        // the AI monitoring: the page, its files and its JSON are the department's, for admins
                        .requestMatchers("/monitoring", "/monitoring/**", "/api/monitoring", "/api/monitoring/**")
                        .hasRole(Roles.ADMIN)
                        .anyRequest().hasAnyRole(Roles.USER, Roles.ADMIN))
                .httpBasic(basic -> basic.authenticationEntryPoint(GroundflowSecurity::unauthorized))
                .formLogin(form -> form.defaultSuccessUrl("/review/", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(GroundflowSecurity::unauthorized, machineCalls)
                        .defaultAccessDeniedHandlerFor(GroundflowSecurity::forbidden, machineCalls))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(noSessionCredentials)
                        .ignoringRequestMatchers(camundaWebapps));
        return http.build();
    }

    /** A URL the firewall refuses (encoded slashes, semicolons, ...): 400 in the API's error shape. */
    @Bean
    public RequestRejectedHandler requestRejected() {
        return (request, response, rejected) -> ApiError.write(response, HttpStatus.BAD_REQUEST,
                "the request URL is not accepted: " + rejected.getMessage());
    }

    /** Camunda's webapps take the user Spring Security signed in. */
    @Bean
    public FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaWebappSignIn() {
        FilterRegistrationBean<ContainerBasedAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
        registration.setInitParameters(Map.of("authentication-provider", CamundaWebappAuthentication.class.getName()));
        registration.addUrlPatterns("/camunda/app/*", "/camunda/api/*");
        registration.setOrder(101);
        return registration;
    }

    /**
     * HTTP basic credentials: a page of another site cannot make a browser send them (no challenge is ever answered,
     * so none are cached, and the header needs a CORS preflight Groundflow does not grant).
     */
    private static boolean basicCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
                                     AuthenticationException failure) throws IOException {
        ApiError.write(response, HttpStatus.UNAUTHORIZED, request.getMethod() + " " + request.getRequestURI()
                + " needs a signed-in user: HTTP basic" + (path(request).startsWith("/engine-rest/") ? ""
                : " or the session of the sign-in form") + " (" + failure.getMessage() + ")");
    }

    /** A JSON 403 written directly: an error dispatch would re-read the request (a multipart upload, say). */
    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        String user = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
        String call = request.getMethod() + " " + request.getRequestURI();
        ApiError.write(response, HttpStatus.FORBIDDEN, denied instanceof CsrfException
                ? call + " comes with a session cookie but without the CSRF token: send the " + CSRF_COOKIE
                + " cookie's value in the " + CSRF_HEADER + " header (GET /api/me sets the cookie)"
                : user + " may not " + call);
    }
}
