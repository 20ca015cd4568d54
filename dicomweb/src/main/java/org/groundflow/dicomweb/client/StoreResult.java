package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebException;
import org.groundflow.dicomweb.Uid;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Per-instance outcome of a STOW-RS request. A partial failure is a normal result, not an exception:
 * check {@link #isComplete()} or call {@link #requireAllStored()}.
 */
public record StoreResult(List<StoredInstance> stored, List<FailedInstance> failed) {

    /** Failure reason used when the server's response did not mention an instance that was sent. */
    public static final int NOT_ACKNOWLEDGED = -1;

    public StoreResult {
        stored = List.copyOf(stored);
        failed = List.copyOf(failed);
    }

    /**
     * An instance the server stored, with the URL it can be retrieved from (empty if the server gave none).
     *
     * @param warningReason the DICOM warning reason (0008,1196) when the server stored it with a warning (for
     *                      instance 0xB000 coercion of data elements), else 0
     */
    public record StoredInstance(Uid sopClassUid, Uid sopInstanceUid, String retrieveUrl, int warningReason) {
        public StoredInstance {
            Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
            retrieveUrl = retrieveUrl == null ? "" : retrieveUrl;
        }

        public StoredInstance(Uid sopClassUid, Uid sopInstanceUid, String retrieveUrl) {
            this(sopClassUid, sopInstanceUid, retrieveUrl, 0);
        }

        public boolean hasWarning() {
            return warningReason != 0;
        }

        /** The warning in words (PS3.18 Table 10.5.3-3), empty without one. */
        public String warning() {
            if (warningReason == 0) {
                return "";
            }
            String words = switch (warningReason) {
                case 0xB000 -> "coercion of data elements";
                case 0xB006 -> "elements discarded";
                case 0xB007 -> "data set does not match SOP class";
                default -> "warning";
            };
            return words + String.format(" (0x%04X)", warningReason);
        }
    }

    /**
     * An instance the server did not store. UIDs are kept as the server reported them (text), because a malformed
     * UID can be the very reason for the failure.
     *
     * @param failureReason the DICOM failure reason (0008,1197), or {@link #NOT_ACKNOWLEDGED}
     */
    public record FailedInstance(String sopClassUid, String sopInstanceUid, int failureReason) {
        public FailedInstance {
            sopClassUid = sopClassUid == null ? "" : sopClassUid;
            sopInstanceUid = sopInstanceUid == null ? "" : sopInstanceUid;
        }

        /** The failure reason in words (PS3.18 Table 10.5.3-2 and PS3.4 C-STORE statuses). */
        public String reason() {
            String hex = failureReason < 0 ? "" : String.format(" (0x%04X)", failureReason);
            return describe(failureReason) + hex;
        }

        private static String describe(int code) {
            if (code == NOT_ACKNOWLEDGED) {
                return "not acknowledged by the server";
            }
            if ((code & 0xFF00) == 0xA700) {
                return "refused: out of resources";
            }
            if ((code & 0xFF00) == 0xA900) {
                return "error: data set does not match SOP class";
            }
            if ((code & 0xF000) == 0xC000) {
                return "error: cannot understand";
            }
            return switch (code) {
                case 0x0110 -> "processing failure";
                case 0x0122 -> "SOP class not supported";
                case 0x0124 -> "not authorized";
                case 0x0111 -> "duplicate SOP instance";
                case 0x0119, 0x0120 -> "referenced SOP class or instance not supported";
                case 0x0211, 0x0212 -> "unrecognized operation";
                default -> "failure";
            };
        }
    }

    /** The instances stored with a warning. */
    public List<StoredInstance> warnings() {
        return stored.stream().filter(StoredInstance::hasWarning).toList();
    }

    /** Whether every instance sent was stored. */
    public boolean isComplete() {
        return failed.isEmpty();
    }

    /**
     * @return this result, when every instance was stored
     * @throws DicomWebException naming each failed SOP Instance UID and its reason
     */
    public StoreResult requireAllStored() {
        if (failed.isEmpty()) {
            return this;
        }
        String detail = failed.stream()
                .map(f -> (f.sopInstanceUid().isEmpty() ? "(no UID)" : f.sopInstanceUid()) + ": " + f.reason())
                .collect(Collectors.joining("; "));
        throw new DicomWebException("STOW-RS stored " + stored.size() + " of " + (stored.size() + failed.size())
                + " instances; failed: " + detail);
    }
}
