using System.Globalization;

namespace WirelessNet.LoRaWan.Cli;

/// <summary>Frames arrive from logs in hex (ChirpStack, gateway traces) or base64 (MQTT JSON, lora-packet).</summary>
internal static class InputBytes
{
    public static bool TryParse(string text, out byte[] bytes, out string error)
    {
        text = text.Trim();
        bytes = [];
        error = string.Empty;
        if (text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
        {
            bytes = Convert.FromHexString(text);
            return true;
        }

        try
        {
            bytes = Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            error = string.Format(CultureInfo.InvariantCulture, "'{0}' is neither hex nor base64.", text.Length > 40 ? text[..40] + "…" : text);
            return false;
        }
    }
}
