package org.groundflow.workflow.api;

import java.net.URI;
import org.groundflow.workflow.api.ReadRequests.AmendmentStarted;
import org.groundflow.workflow.api.ReadRequests.CancelRead;
import org.groundflow.workflow.api.ReadRequests.RetractRead;
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

/** {@code /api/reads}: start a grounded read of a study, follow it, amend or retract it once signed. */
@RestController
@RequestMapping(path = "/api/reads", produces = MediaType.APPLICATION_JSON_VALUE)
public class ReadController {

    private final ReadService reads;
    private final ReadRevisions revisions;
    private final ReadAccess access;

    public ReadController(ReadService reads, ReadRevisions revisions, ReadAccess access) {
        this.reads = reads;
        this.revisions = revisions;
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

    /** Reopens a signed, published read for amendment: a review task that starts from the read as last signed. */
    @PostMapping("/{readId}/amendments")
    public ResponseEntity<AmendmentStarted> amend(@PathVariable String readId) {
        access.requireAmender(readId);
        AmendmentStarted started = revisions.amend(readId, SignedInUser.current().id());
        return ResponseEntity.created(URI.create("/api/reviews/" + started.taskId())).body(started);
    }

    /** Retracts a signed, published read (admins); body: {@code {"reason": "..."}}, required. */
    @PostMapping("/{readId}/retraction")
    public ReadView retract(@PathVariable String readId, @RequestBody(required = false) RetractRead request) {
        access.requireRetractor(readId);
        revisions.retract(readId, request == null ? null : request.reason(), SignedInUser.current().id());
        return reads.view(readId);
    }

    /** Cancels a running read; body optional: {@code {"reason": "..."}}. */
    @DeleteMapping("/{readId}")
    public ReadView cancel(@PathVariable String readId, @RequestBody(required = false) CancelRead request) {
        access.requireCanceller(readId);
        return reads.cancel(readId, request == null ? null : request.reason(), SignedInUser.current().id());
    }
}
