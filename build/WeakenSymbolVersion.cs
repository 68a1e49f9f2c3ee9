// MSBuild inline task (compiled by RoslynCodeTaskFactory, so only the .NET SDK is needed).
// Marks one required symbol version (e.g. GLIBCXX_3.4.32) as VER_FLG_WEAK in ELF64 shared
// libraries, so the dynamic loader accepts an older libstdc++ that lacks it.
using System;
using System.IO;
using System.Text;

public class WeakenSymbolVersion : Microsoft.Build.Utilities.Task
{
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];
    public string Version { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        if (SystemHasVersion(Version))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low,
                "System libstdc++ provides " + Version + "; libLibTorchSharp.so left as is.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                int n = Patch(path, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                    "HpcLearn: " + (n > 0 ? "marked " + Version + " weak in " : "no change needed in ") + path);
            }
            catch (Exception e)
            {
                Log.LogWarning("HpcLearn: could not patch " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    // The loader searches LD_LIBRARY_PATH first (module-loaded GCCs on clusters), then the system.
    static bool SystemHasVersion(string version)
    {
        var dirs = new System.Collections.Generic.List<string>();
        var ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ld)) dirs.AddRange(ld.Split(':'));
        dirs.AddRange(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib", "/lib" });
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var d in dirs)
        {
            var p = Path.Combine(d, "libstdc++.so.6");
            if (!File.Exists(p)) continue;
            return IndexOf(File.ReadAllBytes(p), needle) >= 0;
        }
        return false;
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    static int Patch(string path, string version)
    {
        byte[] data = File.ReadAllBytes(path);
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[4] != 2)
            throw new InvalidDataException("not an ELF64 file");
        ulong shoff = BitConverter.ToUInt64(data, 0x28);
        int shentsize = BitConverter.ToUInt16(data, 0x3A);
        int shnum = BitConverter.ToUInt16(data, 0x3C);
        int patched = 0, changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)shoff + i * shentsize;
            uint type = BitConverter.ToUInt32(data, sh + 4);
            if (type != ShtGnuVerneed) continue;
            int link = (int)BitConverter.ToUInt32(data, sh + 40);
            int strOff = (int)BitConverter.ToUInt64(data, (int)shoff + link * shentsize + 24);
            int off = (int)BitConverter.ToUInt64(data, sh + 24);
            while (true)
            {
                int cnt = BitConverter.ToUInt16(data, off + 2);
                int aux = (int)BitConverter.ToUInt32(data, off + 8);
                int next = (int)BitConverter.ToUInt32(data, off + 12);
                int a = off + aux;
                for (int k = 0; k < cnt; k++)
                {
                    int name = (int)BitConverter.ToUInt32(data, a + 8);
                    int end = Array.IndexOf(data, (byte)0, strOff + name);
                    if (Encoding.ASCII.GetString(data, strOff + name, end - strOff - name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(data, a + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(data, a + 4);
                            changed++;
                        }
                        patched++;
                    }
                    a += (int)BitConverter.ToUInt32(data, a + 12);
                }
                if (next == 0) break;
                off += next;
            }
        }
        if (changed > 0)
        {
            var tmp = path + ".tmp";
            File.WriteAllBytes(tmp, data);
            File.Delete(path);
            File.Move(tmp, path);
        }
        return changed;
    }
}
