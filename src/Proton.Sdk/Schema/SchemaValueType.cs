namespace Proton.Sdk.Schema;

/// <summary>The value types Proton schemas use.</summary>
public enum SchemaValueType
{
    /// <summary><c>type: string</c>.</summary>
    String,

    /// <summary><c>type: number</c> (integers stay integers).</summary>
    Number,

    /// <summary><c>type: integer</c>.</summary>
    Integer,

    /// <summary><c>type: boolean</c>.</summary>
    Boolean,

    /// <summary><c>type: array</c> with primitive <c>items</c>.</summary>
    Array,
}
