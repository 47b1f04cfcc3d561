using System.Text.Json;

namespace Correctomatic.Shared.Docker;

/// <summary>Writes a <see cref="ContainerSpec"/> as the ContainerCreate body (Engine API v1.41 "Create a container").</summary>
internal static class ContainerSpecWriter
{
    public static byte[] Write(ContainerSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Image", spec.Image);
            WriteMap(w, "Labels", spec.Labels);
            WriteList(w, "Env", spec.Env);
            if (spec.Cmd is not null)
            {
                WriteList(w, "Cmd", spec.Cmd);
            }

            if (spec.User is not null)
            {
                w.WriteString("User", spec.User);
            }

            if (spec.WorkingDir is not null)
            {
                w.WriteString("WorkingDir", spec.WorkingDir);
            }

            w.WriteBoolean("NetworkDisabled", spec.NetworkDisabled);
            // No TTY and no stdin: logs then come multiplexed (stdout and stderr apart), and nothing waits on input.
            w.WriteBoolean("Tty", false);
            w.WriteBoolean("OpenStdin", false);
            w.WriteBoolean("AttachStdin", false);
            WriteHostConfig(w, spec.HostConfig);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteHostConfig(Utf8JsonWriter w, ContainerHostConfig h)
    {
        w.WriteStartObject("HostConfig");
        WriteOptional(w, "Memory", h.MemoryBytes);
        WriteOptional(w, "MemorySwap", h.MemorySwapBytes);
        WriteOptional(w, "NanoCpus", h.NanoCpus);
        WriteOptional(w, "PidsLimit", h.PidsLimit);
        w.WriteString("NetworkMode", h.NetworkMode);
        w.WriteBoolean("ReadonlyRootfs", h.ReadonlyRootfs);
        WriteMap(w, "Tmpfs", h.Tmpfs);
        w.WriteStartArray("Mounts");
        foreach (var m in h.Mounts)
        {
            w.WriteStartObject();
            w.WriteString("Type", m.Type);
            w.WriteString("Target", m.Target);
            if (m.Source is not null)
            {
                w.WriteString("Source", m.Source);
            }

            w.WriteBoolean("ReadOnly", m.ReadOnly);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteList(w, "CapDrop", h.CapDrop);
        if (h.CapAdd.Count > 0)
        {
            WriteList(w, "CapAdd", h.CapAdd);
        }

        if (h.Runtime is not null)
        {
            w.WriteString("Runtime", h.Runtime);
        }

        WriteList(w, "SecurityOpt", h.SecurityOpt);
        w.WriteStartArray("Ulimits");
        foreach (var u in h.Ulimits)
        {
            w.WriteStartObject();
            w.WriteString("Name", u.Name);
            w.WriteNumber("Soft", u.Soft);
            w.WriteNumber("Hard", u.Hard);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (h.LogConfig is { } log)
        {
            w.WriteStartObject("LogConfig");
            w.WriteString("Type", log.Type);
            WriteMap(w, "Config", log.Config);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> values)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
