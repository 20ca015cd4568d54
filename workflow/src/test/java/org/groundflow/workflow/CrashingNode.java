package org.groundflow.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.TransactionState;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.pvm.process.ActivityImpl;
import org.camunda.bpm.engine.impl.pvm.process.ScopeImpl;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.inference.InterpretationResult;
import org.groundflow.inference.Interpreter;
import org.groundflow.inference.ModelCard;
import org.groundflow.workflow.app.GroundflowApplication;
import org.groundflow.workflow.process.ParseListeners;
import org.groundflow.workflow.security.IdentitySetup;
import org.groundflow.workflow.security.Roles;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Groundflow application with crash points, for a test that kills the engine at a step boundary: a real abrupt
 * death ({@link Runtime#halt}, no shutdown hook, no transaction ends) when the file named by the system property
 * {@code groundflow.crash-file} holds the boundary's name; the file is deleted first, so the node's next run passes.
 * No Groundflow code changes: the points are execution listeners added by a parse listener and a wrapper around the
 * model.
 */
public final class CrashingNode {

    /** The worker service account made on request. */
    public static final String WORKER = "worker1";

    /** The exit status of a crash point. */
    public static final int HALTED = 99;

    /** Where a node dies. */
    public enum Boundary {
        /** the retrieval's transaction committed: the interpretation task exists */
        AFTER_RETRIEVAL,
        /** the in-process worker runs the model */
        DURING_INTERPRETATION,
        /** the sign-off's transaction committed: the SEG's job waits */
        AFTER_SIGN_OFF,
        /** the SEG and SR are stored in the PACS; the step's transaction has not committed */
        AFTER_STOW,
        /** the FHIR transaction went through; the step's transaction (the read's end) has not committed */
        AFTER_FHIR
    }

    private CrashingNode() {
    }

    /**
     * Runs the application; with the system property {@code groundflow.crash-file}, with the crash points. With the
     * environment variable {@code GROUNDFLOW_TEST_WORKER_PASSWORD}, it makes the worker service account
     * {@value #WORKER} once started.
     */
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(GroundflowApplication.class);
        String crashFile = System.getProperty("groundflow.crash-file");
        if (crashFile != null) {
            withCrashPoints(application, Path.of(crashFile));
        }
        ConfigurableApplicationContext context = application.run(args);
        String workerPassword = System.getenv("GROUNDFLOW_TEST_WORKER_PASSWORD");
        if (workerPassword != null) {
            context.getBean(IdentitySetup.class).ensureUser(WORKER, workerPassword, List.of(Roles.WORKER_GROUP));
        }
    }

    private static void withCrashPoints(SpringApplication application, Path file) {
        application.addInitializers((ConfigurableApplicationContext context) -> {
            context.getBeanFactory().registerSingleton("crashPoints", new CrashPoints(file));
            context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof Interpreter model ? new HaltingModel(model, file) : bean;
                }
            });
        });
    }

    static void haltAt(Path file, Boundary boundary) {
        try {
            if (Files.isRegularFile(file)
                    && Files.readString(file, StandardCharsets.US_ASCII).strip().equals(boundary.name())) {
                Files.delete(file);
                Runtime.getRuntime().halt(HALTED);
            }
        } catch (IOException e) {
            throw new IllegalStateException("crash file " + file, e);
        }
    }

    /** Adds the crash points to the grounded-read model as the engine parses it. */
    static final class CrashPoints extends AbstractProcessEnginePlugin {
        private final Path file;

        CrashPoints(Path file) {
            this.file = file;
        }

        @Override
        public void preInit(ProcessEngineConfigurationImpl configuration) {
            ParseListeners.after(configuration, new AbstractBpmnParseListener() {
                @Override
                public void parseServiceTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                    switch (activity.getId()) {
                        case "RetrieveStudy" -> afterCommit(activity, Boundary.AFTER_RETRIEVAL);
                        case "PublishDicom" -> beforeCommit(activity, Boundary.AFTER_STOW);
                        case "PublishFhir" -> beforeCommit(activity, Boundary.AFTER_FHIR);
                        default -> { }
                    }
                }

                @Override
                public void parseUserTask(Element element, ScopeImpl scope, ActivityImpl activity) {
                    if (activity.getId().equals("RadiologistReview")) {
                        afterCommit(activity, Boundary.AFTER_SIGN_OFF);
                    }
                }
            });
        }

        private void beforeCommit(ActivityImpl activity, Boundary boundary) {
            activity.addListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) execution -> haltAt(file, boundary));
        }

        private void afterCommit(ActivityImpl activity, Boundary boundary) {
            activity.addListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) execution ->
                    Context.getCommandContext().getTransactionContext().addTransactionListener(
                            TransactionState.COMMITTED, committed -> haltAt(file, boundary)));
        }
    }

    /** The model, halting the node when it is asked to read at {@link Boundary#DURING_INTERPRETATION}. */
    record HaltingModel(Interpreter model, Path file) implements Interpreter {
        @Override
        public InterpretationResult interpret(ImageVolume volume) {
            haltAt(file, Boundary.DURING_INTERPRETATION);
            return model.interpret(volume);
        }

        @Override
        public ModelCard card() {
            return model.card();
        }
    }
}
