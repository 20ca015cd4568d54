package org.groundflow.workflow.security;

import static org.springframework.security.config.Customizer.withDefaults;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Sign-in for everything but the health probe: the REST API and the engine's REST API answer 401 to anonymous
 * calls, pages send people to the sign-in form. Forms and the review UI are CSRF-protected (token in the
 * {@code GF-XSRF-TOKEN} cookie, echoed in the {@code X-GF-XSRF-TOKEN} header); calls that carry their own
 * {@code Authorization} header are not cookie-authenticated and need no token. The engine's REST API is for admins,
 * its external-task part also for worker service accounts. Camunda's webapps protect their own forms.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "groundflow.security.enabled", havingValue = "true", matchIfMissing = true)
public class GroundflowSecurity {

    static final String CSRF_COOKIE = "GF-XSRF-TOKEN";
    static final String CSRF_HEADER = "X-GF-XSRF-TOKEN";

    @Bean
    public SecurityFilterChain groundflowFilterChain(HttpSecurity http, CamundaIdentityAuthentication identity) throws Exception {
        RequestMatcher machineCalls = request -> {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            return path.startsWith("/api/") || path.startsWith("/engine-rest/") || path.startsWith("/actuator/");
        };
        // CSRF guards cookie-authenticated calls; a call without a session cookie, or with its own Authorization
        // header, carries no ambient credentials to abuse.
        RequestMatcher noAmbientCredentials = request ->
                request.getHeader("Authorization") != null || request.getRequestedSessionId() == null;
        CookieCsrfTokenRepository csrfTokens = CookieCsrfTokenRepository.withHttpOnlyFalse();
        csrfTokens.setCookieName(CSRF_COOKIE);
        csrfTokens.setHeaderName(CSRF_HEADER);
        csrfTokens.setCookiePath("/");
        http.authenticationProvider(identity)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/login", "/error").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Roles.ADMIN)
                        .requestMatchers("/engine-rest/external-task/**", "/engine-rest/engine/*/external-task/**")
                        .hasAnyRole(Roles.ADMIN, Roles.WORKER)
                        .requestMatchers("/engine-rest/**").hasRole(Roles.ADMIN)
                        .anyRequest().authenticated())
                .httpBasic(withDefaults())
                .formLogin(form -> form.defaultSuccessUrl("/review/", false))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), machineCalls)
                        .defaultAccessDeniedHandlerFor(GroundflowSecurity::forbidden, machineCalls))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(noAmbientCredentials)
                        .ignoringRequestMatchers("/engine-rest/**", "/camunda/**"));
        return http.build();
    }

    /** A JSON 403 written directly: an error dispatch would re-read the request (a multipart upload, say). */
    private static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType("application/json");
        String user = request.getUserPrincipal() == null ? "anonymous" : request.getUserPrincipal().getName();
        response.getWriter().write("{\"status\":403,\"error\":\"Forbidden\",\"message\":\"" + user
                + " may not " + request.getMethod() + " " + request.getRequestURI().replace("\"", "") + "\"}");
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
}
