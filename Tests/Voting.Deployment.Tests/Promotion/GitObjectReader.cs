using System.Diagnostics;
using System.Text;

namespace Voting.Deployment.Tests.Promotion;

/// <summary>
/// Reads a repository's refs and objects through one long-running <c>git cat-file --batch</c>, so the model test's
/// thousands of reads start no process each. It sees every ref update (each request resolves the name again).
/// </summary>
public sealed class GitObjectReader : IDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly BufferedStream _output;

    public GitObjectReader(string gitDirectory)
    {
        var start = new ProcessStartInfo("git", ["--git-dir", gitDirectory, "cat-file", "--batch"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start git cat-file.");
        _output = new BufferedStream(_process.StandardOutput.BaseStream);
    }

    /// <summary>The object <paramref name="name"/> resolves to (a ref, a SHA, COMMIT:PATH), or null when there is none.</summary>
    public async Task<(string Sha, string Type, string Content)?> ReadAsync(string name)
    {
        await _lock.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(name);
            await _process.StandardInput.FlushAsync();
            var header = Encoding.UTF8.GetString(await ReadLineAsync()).Split(' ');
            if (header.Length != 3 || header[1] == "missing")
            {
                return null;
            }

            var content = new byte[int.Parse(header[2], System.Globalization.CultureInfo.InvariantCulture) + 1];
            await _output.ReadExactlyAsync(content);
            return (header[0], header[1], Encoding.UTF8.GetString(content, 0, content.Length - 1)); // each object ends with a newline
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A line of git's output, without its newline.</summary>
    private async Task<byte[]> ReadLineAsync()
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await _output.ReadExactlyAsync(one);
            if (one[0] == (byte)'\n')
            {
                return [.. bytes];
            }

            bytes.Add(one[0]);
        }
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        _process.WaitForExit();
        _process.Dispose();
        _lock.Dispose();
    }
}
