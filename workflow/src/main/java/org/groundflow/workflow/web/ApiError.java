package org.groundflow.workflow.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** The JSON body of every error answer: the status, its short name and a message for people. */
public record ApiError(int status, String error, String message) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiError of(HttpStatus status, String message) {
        return new ApiError(status.value(), status.getReasonPhrase(), message);
    }

    /** Writes the error as the whole answer, for code outside Spring MVC (filters, the security chain). */
    public static void write(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), of(status, message));
    }
}
