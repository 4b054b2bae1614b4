using System.Text;

namespace Trilobite.Serialization;

/// <summary>Keras's naming: "MaxPooling2D" → "max_pooling2d".</summary>
public static class Names
{
    /// <summary>Lower case, with "_" where an upper-case letter follows a lower-case one: "MaxPooling2D" → "max_pooling2d", "Conv2D" → "conv2d".</summary>
    public static string SnakeCase(string typeName)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < typeName.Length; i++)
        {
            char c = typeName[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(typeName[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
