package org.groundflow.workflow.api;

import java.net.URI;
import org.groundflow.workflow.api.ReadRequests.CancelRead;
import org.groundflow.workflow.api.ReadRequests.ReadView;
import org.groundflow.workflow.security.SignedInUser;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.groundflow.workflow.api.ReadRequests.StartRead;
import org.groundflow.workflow.api.ReadRequests.StartedRead;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/reads}: start a grounded read of a study and follow it. */
@RestController
@RequestMapping(path = "/api/reads", produces = MediaType.APPLICATION_JSON_VALUE)
public class ReadController {

    private final ReadService reads;
    private final ReadAccess access;

    public ReadController(ReadService reads, ReadAccess access) {
        this.reads = reads;
        this.access = access;
    }

    @PostMapping
    public ResponseEntity<StartedRead> start(@RequestBody StartRead request) {
        if (request == null || request.studyInstanceUid() == null) {
            throw ApiException.badRequest("studyInstanceUid is required");
        }
        StartedRead started = reads.start(request.studyInstanceUid(), SignedInUser.current().id());
        return ResponseEntity.created(URI.create("/api/reads/" + started.readId())).body(started);
    }

    @GetMapping("/{readId}")
    public ReadView read(@PathVariable String readId) {
        access.requireViewer(readId);
        return reads.view(readId);
    }

    /** Cancels a running read; body optional: {@code {"reason": "..."}}. */
    @DeleteMapping("/{readId}")
    public ReadView cancel(@PathVariable String readId, @RequestBody(required = false) CancelRead request) {
        access.requireCanceller(readId);
        return reads.cancel(readId, request == null ? null : request.reason(), SignedInUser.current().id());
    }
}
