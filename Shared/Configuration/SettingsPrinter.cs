using System.Collections;
using System.Reflection;
using System.Text;
using Correctomatic.Shared.Redis;

namespace Correctomatic.Shared.Configuration;

/// <summary>
/// The <c>ToString</c> of settings records (issue #16). A record's generated ToString prints every property, secrets
/// included; records holding one override ToString with <see cref="Print"/>, which prints the same shape
/// (<c>Name { A = 1, B = x }</c>) but hides each <see cref="SecretAttribute"/> property.
/// </summary>
public static class SettingsPrinter
{
    public static string Print(object settings)
    {
        var type = settings.GetType();
        var text = new StringBuilder(type.Name).Append(" { ");
        var first = true;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            text.Append(first ? "" : ", ").Append(property.Name).Append(" = ").Append(Show(property, property.GetValue(settings)));
            first = false;
        }

        return text.Append(first ? "}" : " }").ToString();
    }

    private static string Show(PropertyInfo property, object? value)
    {
        if (value is null)
        {
            return "";
        }

        if (property.GetCustomAttribute<SecretAttribute>() is { } secret)
        {
            return secret.InUrl && value is string url ? RedisEndpoint.Redact(url) : "***";
        }

        return value is IEnumerable items and not string ? "[" + string.Join(", ", items.Cast<object?>()) + "]" : value.ToString() ?? "";
    }
}
