<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16-Białowieża" styleCategories="AllStyleCategories" labelsEnabled="0" hasScaleBasedVisibilityFlag="0" minScale="100000000" maxScale="0">
  <renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0" referencescale="-1">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <Option type="Map">
            <Option name="name" type="QString" value="square" />
            <Option name="color" type="QString" value="0,114,178,255" />
            <Option name="outline_color" type="QString" value="255,255,255,255" />
            <Option name="outline_style" type="QString" value="solid" />
            <Option name="outline_width" type="QString" value="0.2" />
            <Option name="outline_width_unit" type="QString" value="MM" />
            <Option name="size" type="QString" value="3.4" />
            <Option name="size_unit" type="QString" value="MM" />
            <Option name="angle" type="QString" value="0" />
            <Option name="joinstyle" type="QString" value="bevel" />
            <Option name="scale_method" type="QString" value="diameter" />
            <Option name="vertical_anchor_point" type="QString" value="1" />
            <Option name="horizontal_anchor_point" type="QString" value="1" />
          </Option>
          <prop k="name" v="square" />
          <prop k="color" v="0,114,178,255" />
          <prop k="outline_color" v="255,255,255,255" />
          <prop k="outline_style" v="solid" />
          <prop k="outline_width" v="0.2" />
          <prop k="outline_width_unit" v="MM" />
          <prop k="size" v="3.4" />
          <prop k="size_unit" v="MM" />
          <prop k="angle" v="0" />
          <prop k="joinstyle" v="bevel" />
          <prop k="scale_method" v="diameter" />
          <prop k="vertical_anchor_point" v="1" />
          <prop k="horizontal_anchor_point" v="1" />
        </layer>
      </symbol>
    </symbols>
    <rotation />
    <sizescale />
  </renderer-v2>
  <layerOpacity>1</layerOpacity>
  <aliases>
    <alias field="fid" index="0" name="Identificador interno" />
    <alias field="shelter_id" index="1" name="Identificador de albergue" />
    <alias field="name" index="2" name="Nombre" />
    <alias field="cvegeo" index="3" name="Clave geoestadística (CVEGEO)" />
    <alias field="peak_occupants" index="4" name="Ocupación máxima" />
    <alias field="last_date" index="5" name="Última fecha reportada" />
    <alias field="occupants_last_date" index="6" name="Ocupación en la última fecha" />
  </aliases>
  <layerGeometryType>0</layerGeometryType>
</qgis>
