package org.groundflow.workflow.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ExternalTaskService;
import org.camunda.bpm.engine.externaltask.ExternalTask;
import org.groundflow.workflow.read.ReadVariables;
import org.groundflow.workflow.web.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a worker service account may do on the engine's REST API: fetch and lock external tasks of its topics
 * ({@value ReadVariables#INTERPRET_TOPIC}), and complete, fail, raise a BPMN error on, extend the lock of or unlock
 * tasks of those topics. Anything else it asks is refused with 403; admins pass unchecked.
 */
final class WorkerTopics extends OncePerRequestFilter {

    static final Set<String> TOPICS = Set.of(ReadVariables.INTERPRET_TOPIC);
    /** The largest fetch-and-lock body read to check its topics. */
    static final int MAX_FETCH_BODY = 64 * 1024;

    static final Pattern EXTERNAL_TASK = Pattern.compile("/engine-rest(?:/engine/[^/]+)?/external-task(/.*)?");
    private static final Pattern TASK_REPORT = Pattern.compile("/([^/]+)/(complete|failure|bpmnError|extendLock|unlock)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExternalTaskService externalTasks;

    WorkerTopics(ExternalTaskService externalTasks) {
        this.externalTasks = externalTasks;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        if (user == null || has(user, Roles.ADMIN) || !has(user, Roles.WORKER)) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Matcher externalTask = EXTERNAL_TASK.matcher(path);
        String action = externalTask.matches() && externalTask.group(1) != null ? externalTask.group(1) : "";
        Matcher report = TASK_REPORT.matcher(action);
        if ("POST".equals(request.getMethod()) && "/fetchAndLock".equals(action)) {
            byte[] body = request.getInputStream().readNBytes(MAX_FETCH_BODY + 1);
            if (body.length > MAX_FETCH_BODY) {
                ApiError.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "a fetch-and-lock body of a worker has at most "
                        + MAX_FETCH_BODY + " bytes");
                return;
            }
            Set<String> asked = topics(body);
            if (!TOPICS.containsAll(asked)) {
                refuse(response, user.getName() + " may fetch tasks of the topics " + new TreeSet<>(TOPICS) + ", not of "
                        + asked);
                return;
            }
            chain.doFilter(new ReadBody(request, body), response);
        } else if ("POST".equals(request.getMethod()) && report.matches()) {
            ExternalTask task = externalTasks.createExternalTaskQuery().externalTaskId(report.group(1)).singleResult();
            if (task != null && !TOPICS.contains(task.getTopicName())) {
                refuse(response, user.getName() + " may report on tasks of the topics " + new TreeSet<>(TOPICS)
                        + ", not on task " + task.getId() + " of topic " + task.getTopicName());
                return;
            }
            chain.doFilter(request, response);
        } else {
            refuse(response, user.getName() + " is a worker: it may fetch and lock tasks (POST .../external-task/"
                    + "fetchAndLock) and report on them (POST .../external-task/{id}/complete, failure, bpmnError, "
                    + "extendLock or unlock), not " + request.getMethod() + " " + request.getRequestURI());
        }
    }

    /** The topic names a fetch-and-lock body asks for; a body that is not JSON asks for none (the engine refuses it). */
    private static Set<String> topics(byte[] body) {
        Set<String> names = new TreeSet<>();
        try {
            for (JsonNode topic : JSON.readTree(body).path("topics")) {
                names.add(topic.path("topicName").asText(""));
            }
        } catch (IOException e) {
            return names;
        }
        return names;
    }

    private static boolean has(Authentication user, String role) {
        return user.getAuthorities().stream().anyMatch(a -> ("ROLE_" + role).equals(a.getAuthority()));
    }

    private static void refuse(HttpServletResponse response, String message) throws IOException {
        ApiError.write(response, HttpStatus.FORBIDDEN, message);
    }
}
