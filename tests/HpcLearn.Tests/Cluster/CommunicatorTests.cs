using HpcLearn.Cluster;
using Xunit;

namespace HpcLearn.Tests.Cluster;

/// <summary>Choosing a communicator, and what happens without an MPI library (no mpirun needed).</summary>
public sealed class CommunicatorTests
{
    private static readonly ClusterEnvironment TwoRanks = new() { Kind = ClusterKind.Mpi, WorldSize = 2, Rank = 1, Description = "test" };

    [Fact]
    public void A_world_of_one_gets_the_single_communicator_without_loading_mpi()
    {
        using var comm = Communicator.Create(ClusterEnvironment.Local, new Dictionary<string, string> { ["HPCLEARN_LIBMPI"] = "/nonexistent/libmpi.so" });
        Assert.IsType<SingleCommunicator>(comm);
        Assert.Equal((0, 1, "single process"), (comm.Rank, comm.Size, comm.Name));
    }

    [Fact]
    public void The_single_communicator_leaves_data_as_it_is()
    {
        using var comm = new SingleCommunicator();
        float[] f = [1, -2, 3];
        double[] d = [4, 5];
        byte[] b = [7];
        comm.AllReduceSum(f); comm.AllReduceMax(f); comm.AllReduceSum(d); comm.AllReduceMax(d);
        comm.Broadcast(f, 0); comm.Broadcast(d, 0); comm.Broadcast(b, 0); comm.Barrier();
        Assert.Equal([1f, -2f, 3f], f);
        Assert.Equal([4.0, 5.0], d);
        Assert.Equal([(byte)7], b);
        Assert.Throws<ArgumentOutOfRangeException>(() => comm.Broadcast(b, 1));
    }

    [Fact]
    public void No_mpi_library_says_to_install_open_mpi_or_load_the_module()
    {
        var e = Assert.Throws<UserError>(() => Communicator.Create(TwoRanks, null, ["libhpclearn-no-such-mpi.so.40", "libhpclearn-no-such-mpi.so.12"]));
        Assert.Equal("this is rank 1 of 2, but no MPI library was found (tried libhpclearn-no-such-mpi.so.40, libhpclearn-no-such-mpi.so.12); " +
                     "install Open MPI or load your site's MPI module: module load openmpi (or set HPCLEARN_LIBMPI to the path of libmpi.so)", e.Message);
    }

    [Fact]
    public void A_bad_hpclearn_libmpi_names_the_path_and_the_loader_error()
    {
        var e = Assert.Throws<UserError>(() => Communicator.Create(TwoRanks, new Dictionary<string, string> { ["HPCLEARN_LIBMPI"] = "/nonexistent/libmpi.so" }));
        Assert.StartsWith("HPCLEARN_LIBMPI is '/nonexistent/libmpi.so', which could not be loaded (/nonexistent/libmpi.so: ", e.Message);
        Assert.Contains("No such file or directory", e.Message);
        Assert.EndsWith("); point it at your MPI's libmpi.so, or unset it to use the system's", e.Message);
    }

    [Fact]
    public void A_library_that_is_not_mpi_is_refused()
    {
        var e = Assert.Throws<UserError>(() => Communicator.Create(TwoRanks, new Dictionary<string, string> { ["HPCLEARN_LIBMPI"] = "libm.so.6" }));
        Assert.Contains("libm.so.6: loads, but has no MPI_Init_thread (not an MPI library?)", e.Message);
    }

    [Fact]
    public void The_library_tried_first_follows_the_launcher()
    {
        Assert.Equal("libmpi.so.40", MpiLibrary.NamesFor(new Dictionary<string, string> { ["OMPI_COMM_WORLD_SIZE"] = "2", ["PMI_RANK"] = "0" })[0]);
        var mpich = MpiLibrary.NamesFor(new Dictionary<string, string> { ["PMI_RANK"] = "1", ["PMI_SIZE"] = "2" });
        Assert.Equal(["libmpi.so.12", "libmpich.so.12", "libmpi.so.40", "libmpi.so"], mpich);
        Assert.Equal(MpiLibrary.DefaultNames, MpiLibrary.NamesFor(new Dictionary<string, string>()));
    }
}
