package org.groundflow.dicomweb.client;

import org.groundflow.dicomweb.DicomWebResponseException;

/** The server sent an instance or frame in a transfer syntax the request did not accept. */
public final class UnacceptedTransferSyntaxException extends DicomWebResponseException {

    private final String transferSyntaxUid;

    UnacceptedTransferSyntaxException(String url, int index, String transferSyntaxUid, TransferSyntaxPreference accepted) {
        super(url, "part " + (index + 1) + " is in transfer syntax " + transferSyntaxUid
                + ", which the request did not accept " + accepted.uids());
        this.transferSyntaxUid = transferSyntaxUid;
    }

    public String transferSyntaxUid() {
        return transferSyntaxUid;
    }
}
