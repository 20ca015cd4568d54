package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.Uid;
import org.groundflow.dicomweb.volume.ImageVolume;
import org.groundflow.dicomweb.volume.ImageVolumeReader;
import org.groundflow.dicomweb.volume.VolumeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.groundflow.dicomweb.testing.OrthancServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every file of pydicom's test corpus (Debian python3-pydicom: odd transfer syntaxes, truncated files, files without
 * meta information, non-images) goes through STOW-RS to a real Orthanc, WADO-RS back, and into an image volume. Each
 * ends as a volume or as a typed error (rejected before sending, refused by the server, or a
 * {@link VolumeException}): no other exception, no hang, no OutOfMemoryError. The summary counts the files that
 * decode to a volume: {@value #VOLUMES_WITHOUT_A_CODEC} did with PixelMed alone; with GDCM for encapsulated pixel
 * data (JPEG 2000, JPEG-LS) at least {@value #VOLUMES} must.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PydicomCorpusTest {

    private static final Logger log = LoggerFactory.getLogger(PydicomCorpusTest.class);
    private static final Path CORPUS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final Duration PER_FILE = Duration.ofSeconds(30);
    /** Files that decoded to a volume when encapsulated pixel data went through PixelMed and Java ImageIO alone. */
    static final int VOLUMES_WITHOUT_A_CODEC = 7;
    /** Files that must decode to a volume now. */
    static final int VOLUMES = 11;

    /** Corpus files share SOP Instance UIDs (one image in many encodings): the latest store must win. */
    @RegisterExtension
    static OrthancServer orthanc = new OrthancServer().withSetting("OverwriteInstances", true);

    @TempDir
    static Path temp;

    private static DicomWebClient client;
    private static final Map<String, String> outcomes = new TreeMap<>();

    static Stream<Path> corpus() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return Stream.of();
        }
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(file -> file.toString().endsWith(".dcm")).sorted().toList().stream();
        }
    }

    @BeforeAll
    static void connect() {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS), "python3-pydicom's test corpus is not installed");
        client = new DicomWebClient(orthanc.endpoint());
    }

    @AfterAll
    static void summarise() {
        if (client != null) {
            client.close();
        }
        Map<String, Long> counts = new TreeMap<>();
        outcomes.values().forEach(outcome -> counts.merge(outcome.substring(0, outcome.indexOf(':')), 1L, Long::sum));
        long pixelFailures = outcomes.values().stream().filter(outcome -> outcome.contains("undecodable pixel data")).count();
        log.info("pydicom corpus: {} files, {} decode to a volume ({} without a codec for encapsulated pixel data), {} "
                        + "fail on their pixel data, outcomes {}", outcomes.size(), counts.getOrDefault("volume", 0L),
                VOLUMES_WITHOUT_A_CODEC, pixelFailures, counts);
        outcomes.forEach((file, outcome) -> log.debug("{}: {}", file, outcome));
    }

    @Test
    @Order(2)
    void atLeastTheFilesExpectedDecodeToAVolume() {
        Assumptions.assumeFalse(outcomes.isEmpty(), "the corpus was not travelled");
        assertThat(outcomes.values().stream().filter(outcome -> outcome.startsWith("volume:")).count())
                .as("files decoded to a volume, of " + outcomes.size() + ": " + outcomes)
                .isGreaterThanOrEqualTo(VOLUMES);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachFileIsStoredRetrievedAndDecodedOrRejectedWithATypedError(Path file) {
        String outcome = assertTimeoutPreemptively(PER_FILE, () -> travel(file));
        outcomes.put(file.getFileName().toString(), outcome);
        assertThat(outcome).matches("(volume|not sent|refused|undecodable|retrieval failed): .*");
    }

    private static String travel(Path file) {
        StoreResult stored;
        try {
            stored = client.store(file);
        } catch (IllegalArgumentException e) {
            // STOW-RS carries Part 10 files only: one without meta information or SOP UIDs is refused before sending
            assertThat(e).hasMessageContaining(file.toString());
            return "not sent: " + e.getMessage();
        } catch (DicomWebException e) {
            return "refused: " + e.getMessage();
        }
        if (!stored.isComplete()) {
            assertThat(stored.failed()).isNotEmpty().allSatisfy(f -> assertThat(f.reason()).isNotBlank());
            return "refused: " + stored.failed().get(0).reason();
        }
        Uid instance = stored.stored().get(0).sopInstanceUid();
        Path back;
        try {
            InstanceRecord record = client.searchInstances(QidoQuery.all().withMatch("SOPInstanceUID", instance)).get(0);
            // as stored: by default Orthanc transcodes to Explicit VR Little Endian and fails (500) on JPEG 2000
            back = client.retrieveInstance(record.studyInstanceUid(), record.seriesInstanceUid(), instance,
                    TransferSyntaxPreference.asStored(), temp.resolve(file.getFileName()));
        } catch (DicomWebException e) {
            return "retrieval failed: " + e.getMessage();
        }
        try {
            ImageVolume volume = ImageVolumeReader.read(List.of(back));
            return "volume: " + volume.columns() + "x" + volume.rows() + "x" + volume.slices();
        } catch (VolumeException e) {
            assertThat(e.getMessage()).startsWith("Series ");
            return "undecodable: " + e.getMessage();
        }
    }
}
