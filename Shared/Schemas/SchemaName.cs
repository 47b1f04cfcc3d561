namespace Correctomatic.Shared.Schemas;

/// <summary>The JSON Schema files under <c>schemas/</c>.</summary>
public enum SchemaName
{
    Pending,
    Running,
    Finished,
    ContainerResponse,
    CorrectomaticResponse,
}
