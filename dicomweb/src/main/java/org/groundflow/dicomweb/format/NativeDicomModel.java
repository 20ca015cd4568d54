package org.groundflow.dicomweb.format;

import org.groundflow.dicomweb.DicomWebResponseException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the PS3.19 Native DICOM Model ({@code application/dicom+xml}, what some servers answer STOW-RS with) into
 * the DICOM JSON model, so one {@link DicomDataSet} reads both. Parsed with the JDK's DOM parser, DTDs and external
 * entities refused.
 */
public final class NativeDicomModel {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NativeDicomModel() {
    }

    public static DicomDataSet read(String url, InputStream body) throws IOException {
        Document document;
        try {
            document = parser().parse(body);
        } catch (SAXException e) {
            throw new DicomWebResponseException(url, "malformed DICOM XML: " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        if (root == null || !root.getLocalName().equals("NativeDicomModel")) {
            throw new DicomWebResponseException(url, "expected a NativeDicomModel document, got "
                    + (root == null ? "nothing" : root.getLocalName()));
        }
        return new DicomDataSet(dataSet(root));
    }

    private static ObjectNode dataSet(Element parent) {
        ObjectNode dataSet = NODES.objectNode();
        for (Element attribute : children(parent, "DicomAttribute")) {
            String tag = attribute.getAttribute("tag").toUpperCase(java.util.Locale.ROOT);
            if (tag.length() != 8) {
                continue;
            }
            ObjectNode json = dataSet.putObject(tag);
            String vr = attribute.getAttribute("vr");
            json.put("vr", vr);
            ArrayNode values = NODES.arrayNode();
            if (vr.equals("SQ")) {
                children(attribute, "Item").forEach(item -> values.add(dataSet(item)));
            } else if (vr.equals("PN")) {
                for (Element name : children(attribute, "PersonName")) {
                    List<Element> alphabetic = children(name, "Alphabetic");
                    ObjectNode pn = values.addObject();
                    if (!alphabetic.isEmpty()) {
                        pn.put("Alphabetic", personName(alphabetic.get(0)));
                    }
                }
            } else {
                for (Element value : children(attribute, "Value")) {
                    values.add(value.getTextContent());
                }
                children(attribute, "BulkData").stream().findFirst()
                        .ifPresent(bulk -> json.put("BulkDataURI", bulk.getAttribute("uri")));
            }
            if (!values.isEmpty()) {
                json.set("Value", values);
            }
        }
        return dataSet;
    }

    private static String personName(Element group) {
        String[] parts = new String[5];
        String[] names = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"};
        int last = -1;
        for (int i = 0; i < names.length; i++) {
            List<Element> found = children(group, names[i]);
            parts[i] = found.isEmpty() ? "" : found.get(0).getTextContent();
            if (!parts[i].isEmpty()) {
                last = i;
            }
        }
        return String.join("^", java.util.Arrays.copyOf(parts, last + 1));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> result = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName())) {
                result.add(element);
            }
        }
        return result;
    }

    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setXIncludeAware(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
        }
    }
}
