// Float contractions for emulated-gpu.test: every shape leaves partial
// tiles or a K remainder, and between them they cover both kernels (tiled,
// GEMV), both operand orientations, batch loops on the grid, convolution
// windows with strides, and weights dequantized in the kernel (4-bit
// packed with group scales, f16 widened).

// Batched MatMul, tiled: 2 x (80 x 72), K = 70 (five slices, the last partial).
func.func @matmul_f32(%a: memref<2x80x70xf32>, %b: memref<2x70x72xf32>, %o: memref<2x80x72xf32>) {
  linalg.generic {indexing_maps = [affine_map<(g, m, n, k) -> (g, m, k)>, affine_map<(g, m, n, k) -> (g, k, n)>, affine_map<(g, m, n, k) -> (g, m, n)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x80x70xf32>, memref<2x70x72xf32>) outs(%o : memref<2x80x72xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// A stride-2 3x3 convolution as an implicit GEMM (M = 5x5 pixels, N = 24
// channels, K = 16x3x3), rows contiguous in the input.
func.func @conv_f32(%x: memref<1x16x11x11xf32>, %w: memref<24x16x3x3xf32>, %o: memref<1x24x5x5xf32>) {
  linalg.generic {indexing_maps = [affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, ci, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, co, oh, ow, ci, kh, kw) -> (co, ci, kh, kw)>, affine_map<(n, co, oh, ow, ci, kh, kw) -> (n, co, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x16x11x11xf32>, memref<24x16x3x3xf32>) outs(%o : memref<1x24x5x5xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// GEMV of 3 rows on int4 weights (K = 70, N = 40): byte (k, j) holds
// columns j (low nibble) and 20 + j (high nibble), zero point 8, one scale
// per 32 rows of K and column. The dequantized weight goes to %tmp, which
// only the product reads: the kernel dequantizes in registers instead.
memref.global "private" constant @packed : memref<70x20xi8> = dense<"0x82B70EEE7F1A5039BEF07EC2347F066ED08F5DC7512447E3404300026B6E545594A065685D64C4980BB8D4544A8721A99A01AD219EB59CF6A15EF6F15A1D830BB7CE09D6BBC004E7175C643C7DECB0B580EC37BC9712DD2E6AAEB94BAE8D2F9FA29C5A284C9EF7521829CF1079B080E9D74A1C10FCAB6A4243D33656DEBE4C1ED79648E856E8F9A2F58C95F0CE4B39C15BFFAD5C2DFB8BB820B6119CBA8FF88796AE5B05F280A68CED93B6B28CB0D1B358E6BAAB485565B9F49028D557D79A8A0E6451E15C705C15F173541B4438A25CF76312D4EEB3C2246879BF00B3CF8ED13ABF129A3097AD96B442D6D1BDEF4850C3F465442EB300C337A648A6C0DBDD73FC95F5C2C451859AFE80D40AA39DFB9249F40C3EE37D961445C806F58C7CF2127DFA894F9296FCF33C08409990AC970DEDB3B843120181E9376107DBDAF6C5F3C86497EE219B01DD92F19F4954F4FEA94ED9182375882B200DAADB23CFF9193F3E70384495E04C5D5ED352226D1637C2248F1D3CCC4405DD2EA1FAFAB4BF1C46964D947086207882914478BEE8C75B4309AE2B122E3FE87AC7ECF5A5370FC41B4DDB723B2AFB6C47C0B57894AAB2C5C145B797DDB9126E5CCA203112105F676414FAF6B200DAF099DBA5EEEC33624F5124BFC5F04D82388E52927810F610B0BCA11E0BE9F14F3CA695E87A5311660C7628CDBA9F5EEFB99022EF537B596A16DC8A03EC1FE7D2561711B3302479FB2FF11B7C19FECB1E1882D0E49C1A13635BCE60772BA0372C52266D08E1B7F9D8C043069DE5723B479FF72C86CEA0434229F17D2BDB7D8D1FFC7F186692BF3224D7A0C20092430EE2490918DA8936C342A4219C564686FEA59211200E0E3E1942B6DF840876DB40B967A9B706535330895749E4DEDB3CAAA2E474ECDE57E21852F2FB003540D61A6A001078F6B5C9ED6E678D669BB67BBBB47F1FFDCDB249497AFAC3133056CB329066A5F4F02E65C005355EC70BA20D9FC4F3CCE61F4BD5B90A699192270D2CB6D39D078C7824132D99B36AF72F3D7AAFD8C901C7C15B6AA4C5A537BF7F336C969C89275527D35E7320D0D576D9F77D9AD68F2BA95FD70F4C3B975EDE61A634A9271FF84625A360EFC475F433006350392FAB4DBC35E1A55D34BB34216469A5BF58EA2A7DCEEEC0023CBF4301FDC3AF24FB97083BF5B564AFC34894FF2D3897D0AC20DD1970D7798A254A8A31F4DD5CC57D2FE7B6422A0248B8080A80EAC4281B6F63E206F12B8EF00B1B51C9DE126E0CD7D3DDC10755AD4B9B61D827BD6EC9D7618A47F0BA92013F56EA2725C312D14C6409FCA2EA45EF7927BA0F075EDB2B8843BEAB6D4D962E913836CCBF9BBCF4E37B47860806C54479F61C04076CD677789D1C7A13C5B10A98E1E6343FBD8DC7C19A5527E51C6CC73299BFD146E9B320FD016AE8151E2D3BAF49BFAE868DF7493F86800C81C6557D86E05A461AB53F04E916FD140DD23CD3E27138202F1522EB9B238B3DCF9C84E8989900A5FEEEC24F6E86A169EA2D4CB428D9E0CA596447FB56E4B0084ADE89FC6E7A56D680A096376484D9B787F92C3B38AC3134915B19C458AB8533D1A8319F2095ACD2D120219A235C1430D035ECD52473D70D9437A5B926EEC234577D3A302AC2DF3A8B9CE8DB146B44C35C62A624479C1BEE9CE282915583E9F0CE324467EA34E377447F552DE483ED53F6359880B61A3E690CACF6FA90AA1D9344D796D4BD4194631000F9519FD590D7ECAEA70751FD00F7EEBF167401F53D67565779CC34C5D5758C05687822BFDE9C7230BEE31F85014BD91DED0761613658EAE0F0F494260CEE680AE36721AE6633BD2D5870CA0111DB1D9960C7C8553AC4606F43CEE64BD10D8CE967882F77D8D5E36167A780176252BB30DDB949935D034CD93503EEA628F94DBC031DBDF487E7A8D357C9DAE10875F5963724F7702AA03029A6D059A4B3159E3F2A2B14F9F06E">
memref.global "private" constant @scales : memref<3x40xf32> = dense<[[1.5, 0.125, 0.25, 1.5, 0.125, 0.75, 1.5, 0.75, 0.5, 2.0, 0.75, 0.25, 0.125, 0.0625, 0.5, 0.75, 0.125, 0.5, 1.5, 0.125, 1.5, 0.5, 0.25, 0.125, 2.0, 1.5, 0.5, 0.125, 0.0625, 0.25, 0.125, 2.0, 0.5, 1.5, 0.125, 0.5, 0.0625, 0.0625, 1.5, 0.125], [0.5, 2.0, 1.5, 2.0, 0.0625, 0.5, 0.75, 0.25, 0.125, 0.125, 0.125, 1.5, 0.0625, 0.75, 0.75, 0.125, 0.75, 0.75, 0.5, 0.0625, 0.75, 0.75, 1.5, 1.5, 2.0, 0.25, 0.75, 2.0, 1.5, 1.5, 0.5, 0.25, 0.5, 1.5, 0.125, 0.5, 0.125, 0.0625, 0.125, 1.5], [0.75, 0.75, 0.5, 0.25, 0.5, 1.5, 0.25, 2.0, 0.125, 0.5, 0.75, 0.5, 0.75, 0.0625, 2.0, 0.5, 0.5, 0.5, 0.125, 2.0, 0.125, 0.125, 1.5, 2.0, 0.25, 0.5, 1.5, 1.5, 0.125, 0.25, 2.0, 0.125, 0.75, 2.0, 0.75, 0.75, 0.0625, 1.5, 0.0625, 1.5]]>
func.func @gemv_int4(%a: memref<3x70xf32>, %tmp: memref<70x2x20xf32>, %o: memref<3x40xf32>) {
  %c4 = arith.constant 4 : i8
  %zp = arith.constant 8 : i32
  %packed = memref.get_global @packed : memref<70x20xi8>
  %scales = memref.get_global @scales : memref<3x40xf32>
  linalg.generic {indexing_maps = [affine_map<(k, h, j) -> (k, j)>, affine_map<(k, h, j) -> (k floordiv 32, h * 20 + j)>, affine_map<(k, h, j) -> (k, h, j)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%packed, %scales : memref<70x20xi8>, memref<3x40xf32>) outs(%tmp : memref<70x2x20xf32>) {
  ^bb0(%in: i8, %s: f32, %out: f32):
    %h = linalg.index 1 : index
    %hi = arith.index_castui %h : index to i8
    %sh = arith.muli %hi, %c4 : i8
    %left = arith.subi %c4, %sh : i8
    %up = arith.shli %in, %left : i8
    %q = arith.shrui %up, %c4 : i8
    %q32 = arith.extui %q : i8 to i32
    %centered = arith.subi %q32, %zp : i32
    %f = arith.sitofp %centered : i32 to f32
    %w = arith.mulf %f, %s : f32
    linalg.yield %w : f32
  }
  %b = memref.collapse_shape %tmp [[0], [1, 2]] : memref<70x2x20xf32> into memref<70x40xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<3x70xf32>, memref<70x40xf32>) outs(%o : memref<3x40xf32>) {
  ^bb0(%x: f32, %w: f32, %acc: f32):
    %0 = arith.mulf %x, %w : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}

// GEMV of one row on f16 weights stored K-contiguous (Gemm with transB,
// N = 20, K = 70), widened in the product itself.
func.func @gemv_f16(%a: memref<1x70xf32>, %b: memref<20x70xf16>, %o: memref<1x20xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<1x70xf32>, memref<20x70xf16>) outs(%o : memref<1x20xf32>) {
  ^bb0(%x: f32, %w: f16, %acc: f32):
    %wf = arith.extf %w : f16 to f32
    %0 = arith.mulf %x, %wf : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  return
}
