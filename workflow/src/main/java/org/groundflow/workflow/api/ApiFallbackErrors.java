package org.groundflow.workflow.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.groundflow.workflow.web.ApiError;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.ModelAndView;

/**
 * Spring MVC's own refusals of calls to {@code /api/**} (no such path, method not allowed, unsupported content
 * type, unacceptable answer type, missing parameter, a multipart body that cannot be parsed) in the API's JSON shape. They happen before a controller is
 * chosen, where {@link ApiErrors} does not apply; other paths keep the application's usual error answers.
 */
@Component
public class ApiFallbackErrors implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception failure) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith("/api/")) {
            return null;
        }
        HttpStatus status;
        String detail;
        if (failure instanceof ErrorResponse refusal) {
            status = HttpStatus.valueOf(refusal.getStatusCode().value());
            detail = refusal.getBody().getDetail();
            refusal.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        } else if (failure instanceof MultipartException) {
            status = HttpStatus.BAD_REQUEST;
            detail = "the multipart body cannot be parsed (the API takes JSON)";
        } else {
            return null;
        }
        try {
            ApiError.write(response, status, request.getMethod() + " " + request.getRequestURI() + ": "
                    + (detail == null ? status.getReasonPhrase() : detail));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelAndView();
    }

    /** Before Spring MVC's own resolvers, which would hand these to the servlet container's error page. */
    @Override
    public int getOrder() {
        return -1;
    }
}
