package org.groundflow.workflow.api;

import java.util.List;
import org.groundflow.workflow.api.ReadRequests.ReviewCompleted;
import org.groundflow.workflow.api.ReadRequests.ReviewSubmission;
import org.groundflow.workflow.api.ReadRequests.ReviewTaskView;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/reviews}: the radiologist's open review tasks, and signing one off. */
@RestController
@RequestMapping(path = "/api/reviews", produces = MediaType.APPLICATION_JSON_VALUE)
public class ReviewController {

    private final ReviewService reviews;

    public ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    @GetMapping
    public List<ReviewTaskView> open() {
        return reviews.open();
    }

    @PostMapping("/{taskId}")
    public ReviewCompleted complete(@PathVariable String taskId, @RequestBody ReviewSubmission submission) {
        return reviews.complete(taskId, submission);
    }
}
