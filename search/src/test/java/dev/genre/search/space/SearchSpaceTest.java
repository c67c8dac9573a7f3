package dev.genre.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genre.io.Json;
import dev.genre.search.spec.Layer;
import dev.genre.search.spec.LayerKey;
import dev.genre.search.spec.NetworkSpec;
import dev.genre.search.spec.Op;
import dev.genre.search.spec.SpecResolver;
import java.math.BigInteger;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private final SearchSpace space = SearchSpace.mobileNetV3Small(128, 128, 10);

    @Test
    void sizeIsTheProductOfTheOptions() {
        // 4 ops x 2 kernels x 2 se x 3 skips x 3 widths x 3 layer deltas x 2 acts = 864 per block, 7 blocks.
        assertEquals(BigInteger.valueOf(864).pow(7), space.size());
        assertEquals(49, space.decisionSizes().length);
        assertTrue(space.describe().contains("864^7"), space.describe());
    }

    @Test
    void decodesEveryDecisionIntoTheSpec() {
        ArchChoice a = ArchChoice.ofTokens(new int[] {
                3, 1, 1, 2, 2, 2, 1,   // b0: mbconv6 5x5 se pool x1.25 +1 hswish
                0, 0, 1, 1, 0, 0, 0,   // b1: conv 3x3 (se ignored) identity x0.75 base relu
                1, 1, 0, 0, 1, 0, 1,   // b2: dconv 5x5 no-se none x1.0 -1 (clamped to 1: strided) hswish
                2, 0, 1, 1, 1, 0, 0,   // b3: mbconv3 3x3 se identity x1.0 -1 relu
                2, 0, 0, 0, 1, 1, 0,
                2, 0, 0, 0, 1, 1, 0,
                2, 0, 0, 0, 1, 1, 0});
        NetworkSpec s = space.decode(a);
        assertEquals(Op.MBCONV, s.blocks().get(0).op());
        assertEquals(6.0, s.blocks().get(0).expansion());
        assertEquals(5, s.blocks().get(0).kernel());
        assertEquals(24, s.blocks().get(0).out()); // 16 x 1.25 = 20, rounded to the nearest multiple of 8 upwards
        assertEquals(2, s.blocks().get(0).layers());
        assertEquals(Op.CONV, s.blocks().get(1).op());
        assertEquals(0.0, s.blocks().get(1).se());
        assertEquals(1, s.blocks().get(2).layers());
        assertEquals(1, s.blocks().get(3).layers());
        assertEquals(3.0, s.blocks().get(3).expansion());
        assertEquals(a, ArchChoice.ofTokens(a.tokens()));
        // The spec round-trips through JSON like any other.
        assertEquals(s, Json.MAPPER.convertValue(Json.MAPPER.valueToTree(s), NetworkSpec.class));
    }

    @Test
    void everyLayerOfRandomChildrenIsInTheProfileEnumeration() {
        Map<String, Layer> all = SpaceLayers.distinct(space);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            for (Layer l : SpecResolver.resolve(space.decode(space.random(rng)))) {
                assertTrue(all.containsKey(LayerKey.of(l)), "missing " + LayerKey.of(l));
            }
        }
        assertTrue(all.size() > 1000 && all.size() < 20000, "distinct layers: " + all.size());
    }

    @Test
    void theElasticSpaceIsInvertedResidualsWithIdentitySkipsAndItsChildrenAreMnasnetChildren() {
        SearchSpace elastic = SearchSpace.named(SearchSpace.ELASTIC, 128, 128, 10);
        assertEquals(BigInteger.valueOf(144).pow(7), elastic.size(), "2 ops x 2 kernels x 2 se x 1 skip x 3 widths x 3 depths x 2 acts");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            ArchChoice c = elastic.random(rng);
            NetworkSpec spec = elastic.decode(c);
            assertTrue(spec.blocks().stream().allMatch(b -> b.op() == Op.MBCONV && b.skip() == dev.genre.search.spec.Skip.IDENTITY), c.key());
            ArchChoice inFull = space.translate(c, elastic);
            assertEquals(spec.blocks(), space.decode(inFull).blocks(), "the same network in the MnasNet space");
        }
        assertTrue(elastic.within(space) && space.within(space) && !space.within(elastic), "elastic is a part of the MnasNet space");
        ArchChoice conv = ArchChoice.ofTokens(new int[49]); // op 0 = conv, skip 0 = none: not in the elastic space
        assertEquals("option 'conv' of op is not in this space",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> elastic.translate(conv, space)).getMessage());
    }
}
