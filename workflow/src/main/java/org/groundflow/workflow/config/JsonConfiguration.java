package org.groundflow.workflow.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import org.groundflow.dicomweb.Uid;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** JSON shapes of Groundflow's value types: a {@link Uid} is written as its plain string. */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

    @Bean
    public Module groundflowJsonModule() {
        SimpleModule module = new SimpleModule("groundflow");
        module.addSerializer(Uid.class, new JsonSerializer<>() {
            @Override
            public void serialize(Uid uid, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(uid.value());
            }
        });
        module.addDeserializer(Uid.class, new JsonDeserializer<>() {
            @Override
            public Uid deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return Uid.of(parser.getValueAsString());
            }
        });
        return module;
    }
}
