using System.Text.Json;
using System.Text.Json.Serialization;

namespace Proton.Sdk.Platform;

/// <summary>
/// A template-index entry as a short array, <c>[type, version, status, flags, environment, running, masked]</c>
/// (flags: 1 deployed, 2 customer-managed; trailing nulls left out), read without reflection: a shard of a large
/// fleet holds thousands of them. Entries written as objects (the first format of layout 2) are read too.
/// </summary>
internal sealed class TemplateIndexEntryConverter : JsonConverter<TemplateIndexEntry>
{
    public override TemplateIndexEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return ReadObject(ref reader);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("a template-index entry is an array");
        }

        var values = new string?[7];
        var flags = 0;
        var i = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (i >= values.Length)
            {
                throw new JsonException("a template-index entry has at most 7 items");
            }

            if (i == 3)
            {
                flags = reader.GetInt32();
            }
            else
            {
                values[i] = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            }

            i++;
        }

        if (i < 3 || values[0] is null || values[1] is null || values[2] is null)
        {
            throw new JsonException("a template-index entry needs its type, version and status");
        }

        return new TemplateIndexEntry(Parse<DeploymentTargetType>(values[0]!), values[1]!, Parse<DeploymentStatus>(values[2]!))
        {
            Deployed = (flags & 1) != 0,
            CustomerManaged = (flags & 2) != 0,
            Environment = values[4],
            Running = values[5],
            Masked = values[6],
        };
    }

    public override void Write(Utf8JsonWriter writer, TemplateIndexEntry value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        writer.WriteStringValue(value.Type.ToString());
        writer.WriteStringValue(value.Version);
        writer.WriteStringValue(value.Status.ToString());
        writer.WriteNumberValue((value.Deployed ? 1 : 0) | (value.CustomerManaged ? 2 : 0));
        string?[] rest = [value.Environment, value.Running, value.Masked];
        var last = Array.FindLastIndex(rest, v => v is not null);
        for (var j = 0; j <= last; j++)
        {
            if (rest[j] is { } text)
            {
                writer.WriteStringValue(text);
            }
            else
            {
                writer.WriteNullValue();
            }
        }

        writer.WriteEndArray();
    }

    private static T Parse<T>(string text)
        where T : struct, Enum
        => Enum.TryParse<T>(text, ignoreCase: false, out var value) && Enum.IsDefined(value) ? value : throw new JsonException($"'{text}' is not a {typeof(T).Name}");

    private static TemplateIndexEntry ReadObject(ref Utf8JsonReader reader)
    {
        string? type = null, version = null, status = null, running = null, environment = null, masked = null;
        bool deployed = false, customerManaged = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "type": type = reader.GetString(); break;
                case "version": version = reader.GetString(); break;
                case "status": status = reader.GetString(); break;
                case "running": running = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "environment": environment = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "masked": masked = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                case "deployed": deployed = reader.GetBoolean(); break;
                case "customerManaged": customerManaged = reader.GetBoolean(); break;
                default: reader.Skip(); break;
            }
        }

        if (type is null || version is null || status is null)
        {
            throw new JsonException("a template-index entry needs its type, version and status");
        }

        return new TemplateIndexEntry(Parse<DeploymentTargetType>(type), version, Parse<DeploymentStatus>(status))
        {
            Running = running,
            Environment = environment,
            Masked = masked,
            Deployed = deployed,
            CustomerManaged = customerManaged,
        };
    }
}
